using System.Text;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.State;

namespace InternetIdentity.Replica.Gateway;

/// <summary>
/// Which state-tree paths a read_state may ask for (interface spec, "Request: Read state"): <c>/time</c>,
/// <c>/subnet</c> and <c>/api_boundary_nodes</c> always; <c>/canister_ranges/&lt;sid&gt;</c> on subnet endpoints;
/// <c>/request_status/&lt;rid&gt;</c> (one id per request) if unknown or sent by the same sender to the same canister;
/// <c>/canister/&lt;ecid&gt;/{module_hash,controllers}</c> and public <c>metadata</c> of the effective canister only.
/// </summary>
public static class ReadStatePermissions
{
    /// <summary>The reason the paths may not be read, or null when they may.</summary>
    /// <param name="paths">The requested paths.</param>
    /// <param name="sender">The (authenticated) sender.</param>
    /// <param name="effectiveCanisterId">The canister of a canister endpoint, or null on a subnet endpoint.</param>
    /// <param name="subnetId">This subnet's id.</param>
    /// <param name="status">The status of a request id (null if unknown).</param>
    /// <param name="canister">The installed canister with an id (null if none).</param>
    public static GatewayError? Check(IReadOnlyList<IReadOnlyList<byte[]>> paths, Principal sender, Principal? effectiveCanisterId, Principal subnetId,
        Func<RequestId, RequestStatus?> status, Func<Principal, InstalledCanister?> canister)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(canister);
        if (paths.Count > IngressLimits.MaxReadStatePaths)
        {
            return GatewayError.BadRequest($"read_state asks for {paths.Count} paths; at most {IngressLimits.MaxReadStatePaths} are allowed");
        }

        byte[]? requestId = null;
        foreach (IReadOnlyList<byte[]> path in paths)
        {
            if (path.Count > IngressLimits.MaxPathLabels)
            {
                return GatewayError.BadRequest($"a read_state path has {path.Count} labels; at most {IngressLimits.MaxPathLabels} are allowed");
            }

            string shown = Show(path);
            if (path.Count == 0)
            {
                return GatewayError.Forbidden("Invalid path requested: the empty path (the whole state) may not be read");
            }

            string first = Encoding.UTF8.GetString(path[0]);
            switch (first)
            {
                case "time" or "subnet" or "api_boundary_nodes":
                    break;
                case "canister_ranges":
                    if (effectiveCanisterId is not null)
                    {
                        return GatewayError.Forbidden($"Invalid path requested: {shown} is readable only at /api/v2/subnet/<id>/read_state");
                    }

                    break;
                case "request_status" when effectiveCanisterId is not null:
                    if (path.Count < 2)
                    {
                        return GatewayError.Forbidden($"Invalid path requested: {shown} (name one request id)");
                    }

                    if (requestId is not null && !requestId.AsSpan().SequenceEqual(path[1]))
                    {
                        return GatewayError.Forbidden("Invalid path requested: a read_state may ask for the status of one request id only");
                    }

                    requestId = path[1];
                    if (path[1].Length == 32 && status(new RequestId(path[1])) is { } known)
                    {
                        if (known.Sender != sender)
                        {
                            return GatewayError.Forbidden($"Invalid path requested: request {Convert.ToHexStringLower(path[1])} was sent by another principal");
                        }

                        // A call to the management canister is addressed by its effective canister id (the canister it acts on,
                        // or any id of the subnet for a canister's creation), which agents also poll its status at.
                        if (known.CanisterId != effectiveCanisterId && known.CanisterId != Principal.ManagementCanister)
                        {
                            return GatewayError.Forbidden($"Invalid path requested: request {Convert.ToHexStringLower(path[1])} was sent to canister {known.CanisterId}, not {effectiveCanisterId}");
                        }
                    }

                    break;
                case "canister" when effectiveCanisterId is not null:
                    GatewayError? error = CheckCanisterPath(path, shown, sender, effectiveCanisterId, canister);
                    if (error is not null)
                    {
                        return error;
                    }

                    break;
                default:
                    return GatewayError.Forbidden($"Invalid path requested: {shown}" +
                        (effectiveCanisterId is null ? " (subnet endpoints serve /time, /subnet and /canister_ranges)" : ""));
            }
        }

        return null;
    }

    private static GatewayError? CheckCanisterPath(IReadOnlyList<byte[]> path, string shown, Principal sender, Principal ecid, Func<Principal, InstalledCanister?> canister)
    {
        if (path.Count < 3 || !Principal.TryFromBytes(path[1], out Principal id))
        {
            return GatewayError.Forbidden($"Invalid path requested: {shown} (ask for /canister/<id>/module_hash, controllers or metadata/<name>)");
        }

        if (id != ecid)
        {
            return GatewayError.Forbidden($"Invalid path requested: {shown} is not about the effective canister {ecid}");
        }

        string leaf = Encoding.UTF8.GetString(path[2]);
        switch (leaf)
        {
            case "module_hash" or "controllers":
                return null;
            case "metadata" when path.Count >= 4:
                InstalledCanister? installed = canister(id);
                string name = Encoding.UTF8.GetString(path[3]);
                bool isPublic = installed is null || !installed.Canister.Metadata.TryGetValue(name, out var section) || section.IsPublic;
                return isPublic || installed!.Controllers.Contains(sender)
                    ? null
                    : GatewayError.Forbidden($"Invalid path requested: metadata section '{name}' of {id} is private");
            case "certified_data":
                return GatewayError.Forbidden($"Invalid path requested: {shown} (certified data is read by canisters through their data certificate)");
            default:
                return GatewayError.Forbidden($"Invalid path requested: {shown}");
        }
    }

    private static string Show(IReadOnlyList<byte[]> path) =>
        "/" + string.Join('/', path.Select(l => l.All(b => b is >= 0x20 and < 0x7f) ? Encoding.ASCII.GetString(l) : Convert.ToHexStringLower(l)));
}
