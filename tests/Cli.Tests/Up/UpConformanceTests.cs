using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.Signatures;
using InternetIdentity.TestSupport;

namespace InternetIdentity.Cli.Tests.Up;

/// <summary>
/// tests/js/conformance-ii.mjs (unmodified @dfinity/agent, identity and candid 3.4.3) against a real `iinet up` child
/// process: register through II's Candid interface, a second device, prepare/get_delegation, whoami through the
/// delegation; then Ctrl-C and a restart on the same data directory.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class UpConformanceTests
{
    private static readonly Regex s_rootKey = new("^root_key +([0-9a-f]+)$", RegexOptions.CultureInvariant);
    private static readonly Regex s_url = new("^url +(http://\\S+)$", RegexOptions.CultureInvariant);

    private string _dataDir = "";

    [SetUp]
    public void CreateDataDir() => _dataDir = Directory.CreateTempSubdirectory("iinet-conformance-").FullName;

    [TearDown]
    public void DeleteDataDir() => Directory.Delete(_dataDir, recursive: true);

    [Test]
    public async Task IiScript_UnmodifiedAgentAgainstIinetUp_DelegationWhoamiEqualsGetPrincipal()
    {
        string rootKey;
        int port;
        await using (IinetProcess up = await IinetProcess.StartUpAsync(_dataDir))
        {
            rootKey = (await up.WaitForLineAsync(s_rootKey)).Groups[1].Value;
            JsonNode result = await RunScriptAsync(up);
            Assert.Multiple(() =>
            {
                Assert.That(result["rootKey"]!.GetValue<string>(), Is.EqualTo(rootKey), "the agent fetched another root key than iinet printed");
                Assert.That(result["firstStep"]!.GetValue<string>(), Is.EqualTo("Finish"), "the local II asks for a captcha");
                Assert.That(result["anchor"]!.GetValue<string>(), Is.EqualTo("10000"), "the first anchor of a fresh II");
                Assert.That(result["devices"]!.AsArray().Select(d => d!.GetValue<string>()),
                    Is.EquivalentTo(new[] { Ed25519DerHex(11), Ed25519DerHex(22) }), "lookup lists the two registered devices");

                // The principal of a delegation is the self-authenticating id of II's canister-signature user key.
                string principal = Principal.SelfAuthenticating(Convert.FromHexString(result["userKey"]!.GetValue<string>())).ToString();
                Assert.That(result["principal"]!.GetValue<string>(), Is.EqualTo(principal));
                Assert.That(result["whoami"]!.GetValue<string>(), Is.EqualTo(principal));
                Assert.That(result["whoamiQuery"]!.GetValue<string>(), Is.EqualTo(principal));
                Assert.That(result["wrongExpiration"]!.GetValue<string>(), Is.EqualTo("no_such_delegation"));
                foreach (string refusal in new[] { "strangerPrepare", "strangerGet", "strangerAdd" })
                {
                    Assert.That(result[refusal]!.GetValue<string>(),
                        Does.Contain($"{Principal.SelfAuthenticating(Ed25519Der(33))} could not be authenticated"), refusal);
                }
            });

            port = up.Port;
            Assert.That(await up.StopAsync(), Is.EqualTo(0), up.Transcript);
            Assert.That(up.StandardOutput, Does.Contain("stopping"), up.Transcript);
        }

        // Same data directory, same ports: the same subnet comes back and II works end to end again.
        await using IinetProcess again = await IinetProcess.StartUpAsync(_dataDir, port: port);
        Assert.That((await again.WaitForLineAsync(s_rootKey)).Groups[1].Value, Is.EqualTo(rootKey), again.Transcript);
        JsonNode second = await RunScriptAsync(again);
        Assert.That(second["rootKey"]!.GetValue<string>(), Is.EqualTo(rootKey));

        // II's state survived the restart (checkpoint plus journal), so the next registration gets the next anchor.
        Assert.That(second["anchor"]!.GetValue<string>(), Is.EqualTo("10001"), again.Transcript);
        Assert.That(await again.StopAsync(), Is.EqualTo(0), again.Transcript);
    }

    [Test]
    public async Task TestApiScript_AnchorSignInAndTimeAdvance_AgentJsDelegationWhoami()
    {
        await using IinetProcess up = await IinetProcess.StartUpAsync(_dataDir);
        JsonNode result = await RunScriptAsync(up, "conformance-test-api.mjs");
        Assert.Multiple(() =>
        {
            string principal = result["principal"]!.GetValue<string>();
            Assert.That(result["whoami"]!.GetValue<string>(), Is.EqualTo(principal), up.Transcript);
            Assert.That(result["whoamiQuery"]!.GetValue<string>(), Is.EqualTo(principal));
            Assert.That(ulong.Parse(result["advancedBy"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
                Is.GreaterThanOrEqualTo(600_000_000_000UL), "the clock moved 10 minutes (plus the wall-clock time between the reads)");
            Assert.That(result["whoamiWallClockAgentAfterAdvance"]!.GetValue<string>(), Is.EqualTo(principal), "an agent on the wall clock syncs and goes on");
            Assert.That(result["whoamiAfterAdvance"]!.GetValue<string>(), Is.EqualTo(principal), "a synced agent keeps working");
            Assert.That(result["unknownAnchorStatus"]!.GetValue<int>(), Is.EqualTo(404));
        });
    }

    private static async Task<JsonNode> RunScriptAsync(IinetProcess up, string script = "conformance-ii.mjs")
    {
        string url = (await up.WaitForLineAsync(s_url)).Groups[1].Value;
        string output = await Task.Run(() => NodeScript.Run(script, "", url));
        JsonNode result = JsonNode.Parse(output.Trim().Split('\n')[^1])!;
        Assert.That(result["ok"]!.GetValue<bool>(), Is.True, output + "\n" + up.Transcript);
        return result;
    }

    /// <summary>The DER public key of the script's Ed25519KeyIdentity.generate(32 bytes of <paramref name="fill"/>).</summary>
    private static string Ed25519DerHex(byte fill) => Convert.ToHexStringLower(Ed25519Der(fill));

    private static byte[] Ed25519Der(byte fill)
    {
        byte[] seed = Enumerable.Repeat(fill, 32).ToArray();
        return DerPublicKey.EncodeEd25519(Ed25519Signatures.PublicKeyFromSeed(seed));
    }
}
