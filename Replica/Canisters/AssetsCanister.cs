using System.Security.Cryptography;
using System.Text;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Http;
using InternetIdentity.Protocol.HttpCertification;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Replica.Canisters;

/// <summary>
/// A canister that serves a folder of static files (a dapp's built frontend) from <c>http_request</c>, certified like
/// II's frontend (v1 <c>http_assets</c> and v2 <c>http_expr</c>, its certified data the root of both), so the HTTP gateway
/// verifies every page. <c>/.well-known/ii-alternative-origins</c> is served like any file, for II's derivation origins.
/// The files are its state: checkpoints carry them, so every replica serves the same bytes.
/// </summary>
public sealed class AssetsCanister : ICanister, ICanisterQueryView, ICanisterSnapshots
{
    /// <summary>The Candid interface.</summary>
    public const string CandidService = "type HeaderField = record { text; text };\n"
        + "type HttpRequest = record { method : text; url : text; headers : vec HeaderField; body : blob; certificate_version : opt nat16 };\n"
        + "type HttpResponse = record { status_code : nat16; headers : vec HeaderField; body : blob; upgrade : opt bool };\n"
        + "service : { http_request : (HttpRequest) -> (HttpResponse) query }\n";

    private static readonly byte[] s_moduleHash = SHA256.HashData(Encoding.UTF8.GetBytes("iinet assets canister v1\n" + CandidService));
    private static readonly byte[] s_snapshotMagic = "IIASSET1"u8.ToArray();
    private static readonly ExportedMethods s_exports = new([], ["http_request"]);
    private static readonly IReadOnlyDictionary<string, CanisterMetadata> s_metadata = new Dictionary<string, CanisterMetadata>
    {
        [CanisterContract.CandidServiceMetadata] = new(Encoding.UTF8.GetBytes(CandidService), IsPublic: true),
    };

    private CertifiedAssets _assets;
    private IReadOnlyList<(string Path, byte[] Body)> _files;

    /// <summary>A canister serving the given files (paths relative to the site's root, '/' separated).</summary>
    /// <exception cref="ArgumentException">two files are served under the same URL, or a path is not a file's.</exception>
    public AssetsCanister(Principal id, IReadOnlyList<(string Path, byte[] Body)> files)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(files);
        Id = id;
        _files = files;
        _assets = Certify(files);
    }

    private AssetsCanister(Principal id, IReadOnlyList<(string Path, byte[] Body)> files, CertifiedAssets assets)
    {
        Id = id;
        _files = files;
        _assets = assets;
    }

    /// <summary>The canister's id.</summary>
    public Principal Id { get; }

    /// <summary>The URL paths it serves.</summary>
    public IReadOnlyList<string> UrlPaths => _assets.UrlPaths;

    /// <inheritdoc/>
    public ReadOnlyMemory<byte> CertifiedData => _assets.RootHash;

    /// <inheritdoc/>
    public ReadOnlyMemory<byte> ModuleHash => s_moduleHash;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, CanisterMetadata> Metadata => s_metadata;

    /// <inheritdoc/>
    public ExportedMethods Exports => s_exports;

    /// <summary>Reads every file below a folder (hidden ones left out, but <c>.well-known</c>).</summary>
    /// <exception cref="DirectoryNotFoundException">the folder does not exist.</exception>
    /// <exception cref="IOException">a file cannot be read.</exception>
    public static IReadOnlyList<(string Path, byte[] Body)> ReadFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var root = new DirectoryInfo(folder);
        if (!root.Exists)
        {
            throw new DirectoryNotFoundException($"{root.FullName} is not a folder");
        }

        var files = new List<(string, byte[])>();
        foreach (FileInfo file in root.EnumerateFiles("*", SearchOption.AllDirectories).OrderBy(f => f.FullName, StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(root.FullName, file.FullName).Replace('\\', '/');
            if (relative.Split('/').Any(part => part.StartsWith('.') && part != ".well-known"))
            {
                continue;
            }

            files.Add((relative, File.ReadAllBytes(file.FullName)));
        }

        return files;
    }

    /// <summary>A canister on the current files (a later restore does not change it).</summary>
    public ICanister QueryView() => new AssetsCanister(Id, _files, _assets);

    /// <inheritdoc/>
    public CanisterReply Update(CallContext context, string method, ReadOnlySpan<byte> argument) =>
        CanisterReply.NoSuchMethod(method, query: false, Id);

    /// <inheritdoc/>
    public CanisterReply Query(QueryContext context, string method, ReadOnlySpan<byte> argument)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (method != "http_request")
        {
            return CanisterReply.NoSuchMethod(method, query: true, Id);
        }

        HttpRequest request;
        try
        {
            request = CanisterHttpInterface.DecodeRequest(argument);
        }
        catch (Protocol.Candid.CandidFormatException e)
        {
            return CanisterReply.Reject(RejectCode.CanisterError, "failed to decode call arguments: " + e.Message, "IC0503");
        }

        HttpResponse response = _assets.Serve(request.Url, request.CertificateVersion, context.Certificate, CertifiedTreeLayout.Assets);
        return CanisterReply.Reply(CanisterHttpInterface.EncodeResponse(response));
    }

    /// <inheritdoc/>
    public byte[] Snapshot()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(s_snapshotMagic);
            writer.Write(_files.Count);
            foreach ((string path, byte[] body) in _files)
            {
                writer.Write(path);
                writer.Write(body.Length);
                writer.Write(body);
            }
        }

        return stream.ToArray();
    }

    /// <inheritdoc/>
    public void Restore(ReadOnlySpan<byte> snapshot)
    {
        var files = new List<(string, byte[])>();
        try
        {
            using var reader = new BinaryReader(new MemoryStream(snapshot.ToArray()), Encoding.UTF8);
            if (!reader.ReadBytes(s_snapshotMagic.Length).AsSpan().SequenceEqual(s_snapshotMagic))
            {
                throw new FormatException("not an assets canister snapshot");
            }

            int count = reader.ReadInt32();
            for (int i = 0; i < count; i++)
            {
                string path = reader.ReadString();
                int length = reader.ReadInt32();
                byte[] body = reader.ReadBytes(length);
                if (body.Length != length)
                {
                    throw new FormatException("truncated assets canister snapshot");
                }

                files.Add((path, body));
            }
        }
        catch (EndOfStreamException e)
        {
            throw new FormatException("truncated assets canister snapshot", e);
        }

        _assets = Certify(files);
        _files = files;
    }

    private static CertifiedAssets Certify(IReadOnlyList<(string Path, byte[] Body)> files) =>
        new(files.Select(f => HttpAsset.FromFile(f.Path, f.Body)));
}
