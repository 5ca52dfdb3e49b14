using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.PocketIc.Tests;

/// <summary>A small client of PocketIC's REST API, as its clients speak it: JSON bodies, base64 bytes, plain numbers.</summary>
internal sealed class PocketIcTestClient(Uri url) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = url, Timeout = TimeSpan.FromSeconds(120) };

    public sealed record Answer(int Status, string Body, string? ContentType)
    {
        public JsonNode? Json => JsonNode.Parse(Body);

        public string? Message => Json?["message"]?.GetValue<string>();
    }

    public static JsonObject DefaultInstanceConfig(int? replicas = null)
    {
        var config = new JsonObject
        {
            ["subnet_config_set"] = new JsonObject
            {
                ["application"] = new JsonArray(new JsonObject { ["dts_flag"] = "Enabled", ["instruction_config"] = "Production", ["state_config"] = "New" }),
                ["system"] = new JsonArray(),
                ["cloud_engine"] = new JsonArray(),
                ["verified_application"] = new JsonArray(),
            },
        };
        if (replicas is { } n)
        {
            config["iinet_replicas"] = n;
        }

        return config;
    }

    public static string B64(Principal p) => Convert.ToBase64String(p.Bytes);

    public static JsonObject Call(Principal sender, Principal canister, string method, byte[] payload) => new()
    {
        ["sender"] = B64(sender),
        ["canister_id"] = B64(canister),
        ["method"] = method,
        ["payload"] = Convert.ToBase64String(payload),
        ["effective_principal"] = "None",
    };

    public async Task<int> CreateInstanceAsync(JsonObject? config = null)
    {
        Answer answer = await PostAsync("/instances", config ?? DefaultInstanceConfig());
        Assert.That(answer.Status, Is.EqualTo(200), answer.Body);
        return answer.Json!["Created"]!["instance_id"]!.GetValue<int>();
    }

    public Task<Answer> PostAsync(string path, JsonNode? body) => PostRawAsync(path, body?.ToJsonString() ?? "", "application/json");

    public async Task<Answer> PostRawAsync(string path, string body, string contentType)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using HttpResponseMessage response = await _http.PostAsync(path, content);
        return await ReadAsync(response);
    }

    /// <summary>Keeps bytes in the blob store (gzip-compressed first when asked) and returns the blob id (hex).</summary>
    public async Task<string> AddBlobAsync(byte[] data, bool gzip = false)
    {
        byte[] body = data;
        if (gzip)
        {
            using var compressed = new MemoryStream();
            using (var zip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            {
                zip.Write(data);
            }

            body = compressed.ToArray();
        }

        using var content = new ByteArrayContent(body);
        if (gzip)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }

        using HttpResponseMessage response = await _http.PostAsync("/blobstore", content);
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<Answer> GetAsync(string path)
    {
        using HttpResponseMessage response = await _http.GetAsync(path);
        return await ReadAsync(response);
    }

    public async Task<Answer> DeleteAsync(string path)
    {
        using HttpResponseMessage response = await _http.DeleteAsync(path);
        return await ReadAsync(response);
    }

    public async Task<ulong> GetTimeAsync(int instance)
    {
        Answer answer = await GetAsync($"/instances/{instance}/read/get_time");
        Assert.That(answer.Status, Is.EqualTo(200), answer.Body);
        return answer.Json!["nanos_since_epoch"]!.GetValue<ulong>();
    }

    /// <summary>Submits and awaits an update call; returns the await's answer.</summary>
    public async Task<Answer> UpdateAsync(int instance, JsonObject call)
    {
        Answer submitted = await PostAsync($"/instances/{instance}/update/submit_ingress_message", call);
        Assert.That(submitted.Status, Is.EqualTo(200), submitted.Body);
        JsonNode ok = submitted.Json!["Ok"] ?? throw new AssertionException("submit was refused: " + submitted.Body);
        return await PostAsync($"/instances/{instance}/update/await_ingress_message", ok.DeepClone());
    }

    public void Dispose() => _http.Dispose();

    private static async Task<Answer> ReadAsync(HttpResponseMessage response) =>
        new((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
}
