using System.Text.Json;
using System.Text.Json.Nodes;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.TestSupport;

namespace InternetIdentity.Protocol.Tests.Differential;

/// <summary>Textual principals and self-authenticating ids agree with @dfinity/principal 3.4.3 (tests/js/protocol-principals.mjs).</summary>
public class PrincipalDifferentialTests
{
    [Test]
    public void RandomPrincipals_TextAndParse_AgreeWithAgentJs()
    {
        // Fixed seed: the same 200 principals every run.
        var random = new Random(20261124);
        byte[][] bytes = Enumerable.Range(0, 200).Select(_ => { var b = new byte[random.Next(0, 30)]; random.NextBytes(b); return b; }).ToArray();
        int[] mutated = Enumerable.Range(0, 200).Select(_ => random.Next(0, 1000)).ToArray();
        byte[][] ders = Enumerable.Range(0, 20).Select(_ => { var b = new byte[random.Next(0, 100)]; random.NextBytes(b); return b; }).ToArray();
        string[] texts = bytes.Select((b, i) =>
        {
            // Every other text gets one character replaced, so that checksum and grouping failures are compared too.
            string text = Principal.FromBytes(b).ToString();
            if (i % 2 == 1 && text.Length > 2)
            {
                int pos = mutated[i] % text.Length;
                text = text[..pos] + (text[pos] == 'a' ? 'b' : text[pos] == '-' ? 'c' : 'a') + text[(pos + 1)..];
            }

            return text;
        }).ToArray();
        var input = new JsonObject
        {
            ["bytes"] = new JsonArray(bytes.Select(b => (JsonNode)Convert.ToHexStringLower(b)).ToArray()),
            ["texts"] = new JsonArray(texts.Select(t => (JsonNode)t).ToArray()),
            ["ders"] = new JsonArray(ders.Select(b => (JsonNode)Convert.ToHexStringLower(b)).ToArray()),
        };
        JsonElement js = JsonDocument.Parse(NodeScript.Run("protocol-principals.mjs", input.ToJsonString())).RootElement;
        string[] toText = js.GetProperty("to_text").EnumerateArray().Select(e => e.GetString()!).ToArray();
        string?[] fromText = js.GetProperty("from_text").EnumerateArray().Select(e => e.GetString()).ToArray();
        string[] selfAuth = js.GetProperty("self_auth").EnumerateArray().Select(e => e.GetString()!).ToArray();
        for (int i = 0; i < bytes.Length; i++)
        {
            Assert.That(toText[i], Is.EqualTo(Principal.FromBytes(bytes[i]).ToString()), Convert.ToHexStringLower(bytes[i]));
            string? ours = Principal.TryParse(texts[i], out Principal? p) ? p!.ToHex() : null;
            Assert.That(ours, Is.EqualTo(fromText[i]), texts[i]);
        }

        for (int i = 0; i < ders.Length; i++)
        {
            Assert.That(selfAuth[i], Is.EqualTo(Principal.SelfAuthenticating(ders[i]).ToString()));
        }
    }
}
