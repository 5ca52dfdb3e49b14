using System.Reflection;
using System.Text;
using System.Text.Json;
using InternetIdentity.Browser.Tests.Support;
using InternetIdentity.TestSupport;

namespace InternetIdentity.Browser.Tests;

/// <summary>
/// Runs the npm suites of tests/js-browser (@dfinity/internet-identity-playwright 2.0.0, the sample dapp, @icp-sdk/auth
/// 7.1.0) one spec file at a time through Playwright's JSON reporter, so that their results count in the totals.
/// Run only these with <c>--filter TestCategory=EndToEnd</c>.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
[NonParallelizable]
public sealed class JsBrowserSuiteTests
{
    private static readonly string s_suite = Path.Combine(RepoPaths.Root, "tests", "js-browser");

    [OneTimeSetUp]
    public void BuildPages()
    {
        DebianChromium.Require();
        SampleDapp.RequireDist();
        NodeResult build = NodeScript.Execute(s_suite, "build.mjs", "", TimeSpan.FromMinutes(2), null);
        Assert.That(build.ExitCode, Is.Zero, "node build.mjs in tests/js-browser: " + build.StandardError);
    }

    [TestCase("browser.spec.mjs")]
    [TestCase("sample-dapp.spec.mjs")]
    [TestCase("captcha.spec.mjs")]
    [TestCase("icp-sdk-auth.spec.mjs")]
    public void Spec_AgainstIinetUp_AllTestsPass(string spec)
    {
        string configuration = typeof(JsBrowserSuiteTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var environment = new Dictionary<string, string>
        {
            ["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1",
            ["CHROMIUM_PATH"] = DebianChromium.Require(),
            ["IINET_DLL"] = Path.Combine(RepoPaths.Root, "Cli", "bin", configuration, "net" + Environment.Version.ToString(2), "iinet.dll"),
        };
        NodeResult run = NodeScript.Execute(s_suite, Path.Combine("node_modules", "@playwright", "test", "cli.js"), "", TimeSpan.FromMinutes(9),
            environment, "test", "specs/" + spec, "--reporter=json");

        PlaywrightReport report;
        try
        {
            report = PlaywrightReport.Parse(run.StandardOutput);
        }
        catch (JsonException e)
        {
            Assert.Fail($"playwright test {spec} exited {run.ExitCode} without a JSON report ({e.Message}):\n{run.StandardOutput}\n{run.StandardError}");
            return;
        }

        TestContext.Out.WriteLine(report.Summary);
        Assert.That(report.Failures, Is.Empty, report.Summary + "\n" + run.StandardError);
        Assert.That(report.Passed, Is.GreaterThan(0), $"no test of {spec} ran:\n{report.Summary}");
        Assert.That(run.ExitCode, Is.Zero, run.StandardError);
    }

    /// <summary>What Playwright's JSON reporter says: each test's title, project, status and first error.</summary>
    private sealed record PlaywrightReport(int Passed, IReadOnlyList<string> Failures, string Summary)
    {
        public static PlaywrightReport Parse(string json)
        {
            using JsonDocument doc = JsonDocument.Parse(json);
            int passed = 0;
            var failures = new List<string>();
            var summary = new StringBuilder();
            foreach (JsonElement error in Items(doc.RootElement, "errors"))
            {
                failures.Add("suite error: " + Message(error));
            }

            Walk(doc.RootElement);
            summary.Insert(0, $"{passed} passed, {failures.Count} failed\n");
            return new PlaywrightReport(passed, failures, summary.ToString());

            void Walk(JsonElement suite)
            {
                foreach (JsonElement spec in Items(suite, "specs"))
                {
                    foreach (JsonElement test in spec.GetProperty("tests").EnumerateArray())
                    {
                        string title = $"[{test.GetProperty("projectName").GetString()}] {spec.GetProperty("title").GetString()}";
                        JsonElement last = test.GetProperty("results").EnumerateArray().LastOrDefault();
                        string status = last.ValueKind == JsonValueKind.Object ? last.GetProperty("status").GetString()! : "not run";
                        summary.AppendLine($"{status,-8} {title}");
                        if (status == "passed")
                        {
                            passed++;
                        }
                        else if (status != "skipped")
                        {
                            string why = last.ValueKind == JsonValueKind.Object && last.TryGetProperty("error", out JsonElement e) ? Message(e) : status;
                            failures.Add($"{title}: {why}");
                            summary.AppendLine("         " + why.Replace("\n", "\n         ", StringComparison.Ordinal));
                        }
                    }
                }

                foreach (JsonElement child in Items(suite, "suites"))
                {
                    Walk(child);
                }
            }
        }

        private static IEnumerable<JsonElement> Items(JsonElement parent, string name) =>
            parent.TryGetProperty(name, out JsonElement array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : [];

        private static string Message(JsonElement error) =>
            error.TryGetProperty("message", out JsonElement m) ? m.GetString() ?? "" : error.ToString();
    }
}
