using System.Text.Json;
using InternetIdentity.Replica.Hosting;

namespace InternetIdentity.Cli;

/// <summary>
/// How a local subnet's canisters were installed (II's dummy auth and captcha, the folders of its assets canisters, whose
/// files are copied under <c>assets/&lt;i&gt;</c>), kept beside its genesis files: the canisters' initial state is part of
/// the subnet, so a restart replays the journal on canisters installed exactly as at creation, whatever flags it is given.
/// Whether the subnet charges cycles is kept here too: it changes the replicated state as much.
/// </summary>
internal static partial class CanisterSettingsFile
{
    public const string FileName = "canisters.json";

    private sealed record Settings(bool IiDummyAuth, bool IiCaptcha, string[]? Assets, string[]? IiAlternativeOrigins = null, bool ChargeCycles = false);

    /// <summary>What a subnet was created with: the canisters' options, the folders its sites came from, and whether it charges cycles.</summary>
    public sealed record Created(SubnetCanisterOptions Options, IReadOnlyList<string> AssetFolders, bool ChargeCycles = false);

    /// <summary>Writes the settings of a subnet being created and copies its sites' files beside them.</summary>
    public static void Write(string genesisDir, SubnetCanisterOptions options, IReadOnlyList<string> assetFolders, bool chargeCycles = false)
    {
        var sites = options.Sites ?? [];
        for (int i = 0; i < sites.Count; i++)
        {
            foreach ((string file, byte[] body) in sites[i])
            {
                string target = Path.Combine(genesisDir, "assets", i.ToString(System.Globalization.CultureInfo.InvariantCulture), file);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllBytes(target, body);
            }
        }

        var settings = new Settings(options.IiDummyAuth, options.IiCaptcha, [.. assetFolders.Select(Path.GetFullPath)], [.. options.IiAlternativeOrigins ?? []], chargeCycles);
        File.WriteAllText(Path.Combine(genesisDir, FileName), JsonSerializer.Serialize(settings, SettingsJson.Default.Settings) + "\n");
    }

    /// <summary>The settings a subnet was created with (a subnet made before this file existed had both off and no sites).</summary>
    /// <exception cref="CliInputException">the file or a copied site is not valid.</exception>
    public static Created Read(string genesisDir)
    {
        string path = Path.Combine(genesisDir, FileName);
        if (!File.Exists(path))
        {
            return new Created(new SubnetCanisterOptions(), []);
        }

        try
        {
            Settings s = JsonSerializer.Deserialize(File.ReadAllText(path), SettingsJson.Default.Settings)
                ?? throw new JsonException("null");
            string[] folders = s.Assets ?? [];
            var sites = folders.Select((_, i) => Replica.Canisters.AssetsCanister.ReadFolder(
                Path.Combine(genesisDir, "assets", i.ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToList();
            return new Created(new SubnetCanisterOptions(s.IiDummyAuth, s.IiCaptcha, sites, s.IiAlternativeOrigins ?? []), folders, s.ChargeCycles);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            throw new CliInputException($"{path} or the sites copied beside it are not valid ({e.Message}); pass --reset to create the subnet anew");
        }
    }

    [System.Text.Json.Serialization.JsonSerializable(typeof(Settings))]
    [System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
    private sealed partial class SettingsJson : System.Text.Json.Serialization.JsonSerializerContext;
}
