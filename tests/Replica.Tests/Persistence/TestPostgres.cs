namespace InternetIdentity.Replica.Tests.Persistence;

/// <summary>
/// The PostgreSQL database the tests may use: the connection string in IINET_TEST_POSTGRES (.ci/run starts a server
/// and sets it). Without it a PostgreSQL test is ignored locally, but fails under CI (CI=true), like NodeScript.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "IINET_TEST_POSTGRES";

    public static string ConnectionStringOrIgnore()
    {
        string? connection = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(connection))
        {
            return connection;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"{Variable} is not set; CI must start PostgreSQL for the persistence tests (.ci/run does)");
        }

        Assert.Ignore($"{Variable} is not set: PostgreSQL test skipped (run .ci/run, or set it to an Npgsql connection string)");
        return "";
    }
}
