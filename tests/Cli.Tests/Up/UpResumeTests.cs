using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Certificates;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.TestSupport;

namespace InternetIdentity.Cli.Tests.Up;

/// <summary>`iinet up` keeps the replicated state in --data-dir: a second run resumes it; --reset forgets it.</summary>
[TestFixture]
[NonParallelizable]
public sealed class UpResumeTests
{
    private static readonly Regex s_url = new("^url +(http://\\S+)$", RegexOptions.CultureInvariant);
    private static readonly Principal s_whoami = Principal.CanisterId(0);
    private string _dataDir = "";

    [SetUp]
    public void CreateDataDir() => _dataDir = Directory.CreateTempSubdirectory("iinet-resume-").FullName;

    [TearDown]
    public void DeleteDataDir() => Directory.Delete(_dataDir, recursive: true);

    [Test]
    public async Task Up_RestartOnSameDataDir_KeepsTheStatusOfAnExecutedCall_ResetForgetsIt()
    {
        ulong expiry = (ulong)(DateTimeOffset.UtcNow.AddMinutes(4) - DateTimeOffset.UnixEpoch).Ticks * 100;
        RequestContent call = RequestContent.Call(RequestType.Call, Principal.Anonymous, s_whoami, "whoami", CandidEncoder.Encode([], []), expiry);
        RequestId id = call.ComputeRequestId();
        int port;
        ulong executedBy;
        await using (IinetProcess first = await IinetProcess.StartUpAsync(_dataDir))
        {
            port = first.Port;
            string url = (await first.WaitForLineAsync(s_url)).Groups[1].Value;
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            HttpResponseMessage called = await Post(http, $"{url}/api/v3/canister/{s_whoami}/call", new Envelope(call).Encode());
            Assert.That((int)called.StatusCode, Is.EqualTo(200), first.Transcript);
            Assert.That(await StatusAsync(http, url, id, expiry), Is.EqualTo("replied"), first.Transcript);
            executedBy = await CertifiedHeightAsync(http, url);
            Assert.That(await first.StopAsync(), Is.EqualTo(0), first.Transcript);
        }

        await using (IinetProcess second = await IinetProcess.StartUpAsync(_dataDir, port: port))
        {
            string url = (await second.WaitForLineAsync(s_url)).Groups[1].Value;
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            // The resumed replicas replay their journals: wait until they certify the height the call was certified by.
            await WaitForCertifiedHeightAsync(http, url, executedBy, second);
            Assert.That(await StatusAsync(http, url, id, expiry), Is.EqualTo("replied"), "resumed: the status survived the restart\n" + second.Transcript);
            Assert.That(await second.StopAsync(), Is.EqualTo(0), second.Transcript);
        }

        await using (IinetProcess third = await IinetProcess.StartUpAsync(_dataDir, port: port, extraArgs: "--reset"))
        {
            string url = (await third.WaitForLineAsync(s_url)).Groups[1].Value;
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            Assert.That(await StatusAsync(http, url, id, expiry), Is.Null, "a new subnet knows nothing of the old one's calls\n" + third.Transcript);
            Assert.That(await third.StopAsync(), Is.EqualTo(0), third.Transcript);
        }
    }

    private static async Task<ulong> CertifiedHeightAsync(HttpClient http, string url)
    {
        byte[] body = await http.GetByteArrayAsync(url + "/api/v2/status");
        return StatusResponse.Decode(body).CertifiedHeight ?? 0;
    }

    // Each poll is one status request; heights advance every round, so this ends within seconds unless replay is stuck.
    private static async Task WaitForCertifiedHeightAsync(HttpClient http, string url, ulong height, IinetProcess up)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        ulong seen;
        while ((seen = await CertifiedHeightAsync(http, url)) < height)
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"certified height {seen} after 90 s, not yet {height}\n{up.Transcript}");
            }

            await Task.Delay(50); // pacing between status requests, not a wait for an event
        }
    }

    private static Task<HttpResponseMessage> Post(HttpClient http, string url, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
        return http.PostAsync(url, content);
    }

    // read_state of /request_status/<id>/status as the anonymous sender; null when the certificate says it is absent.
    private static async Task<string?> StatusAsync(HttpClient http, string url, RequestId id, ulong expiry)
    {
        RequestContent read = RequestContent.ReadState(Principal.Anonymous, [[Encoding.ASCII.GetBytes("request_status"), id.Bytes.ToArray(), "status"u8.ToArray()]], expiry);
        HttpResponseMessage response = await Post(http, $"{url}/api/v2/canister/{s_whoami}/read_state", new Envelope(read).Encode());
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        Certificate certificate = Certificate.DecodeCertificateOrResponse(await response.Content.ReadAsByteArrayAsync());
        LookupResult status = certificate.Lookup("request_status", id.Bytes.ToArray(), "status");
        return status.IsFound ? Encoding.UTF8.GetString(status.Value.Span) : null;
    }
}
