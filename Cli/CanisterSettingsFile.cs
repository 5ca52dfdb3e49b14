using System.Text.Json;
using InternetIdentity.Replica.Hosting;

namespace InternetIdentity.Cli;

/// <summary>
/// How a local subnet's canisters were installed (II's dummy auth and captcha), kept beside its genesis files: the
/// canisters' initial state is part of the subnet, so a restart replays the journal on canisters installed exactly as at
/// creation, whatever flags it is given.
/// </summary>
internal static partial class CanisterSettingsFile
{
    public const string FileName = "canisters.json";

    private sealed record Settings(bool IiDummyAuth, bool IiCaptcha);

    /// <summary>Writes the settings of a subnet being created.</summary>
    public static void Write(string genesisDir, SubnetCanisterOptions options) =>
        File.WriteAllText(Path.Combine(genesisDir, FileName),
            JsonSerializer.Serialize(new Settings(options.IiDummyAuth, options.IiCaptcha), SettingsJson.Default.Settings) + "\n");

    /// <summary>The settings a subnet was created with (a subnet made before this file existed had both off).</summary>
    /// <exception cref="CliInputException">the file is not valid.</exception>
    public static SubnetCanisterOptions Read(string genesisDir)
    {
        string path = Path.Combine(genesisDir, FileName);
        if (!File.Exists(path))
        {
            return new SubnetCanisterOptions();
        }

        try
        {
            Settings s = JsonSerializer.Deserialize(File.ReadAllText(path), SettingsJson.Default.Settings)
                ?? throw new JsonException("null");
            return new SubnetCanisterOptions(s.IiDummyAuth, s.IiCaptcha);
        }
        catch (JsonException e)
        {
            throw new CliInputException($"{path} is not valid ({e.Message}); pass --reset to create the subnet anew");
        }
    }

    [System.Text.Json.Serialization.JsonSerializable(typeof(Settings))]
    [System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
    private sealed partial class SettingsJson : System.Text.Json.Serialization.JsonSerializerContext;
}
