using System.Globalization;
using System.Text.Json.Nodes;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Replica.State;

namespace InternetIdentity.PocketIc;

/// <summary>
/// A call's outcome as PocketIC writes it: <c>{"Ok": base64 reply}</c> or <c>{"Err": {reject_code, reject_message,
/// error_code, certified}}</c>, codes as numbers (reject codes 1-6; <c>IC0503</c> as 503).
/// </summary>
public static class CanisterResult
{
    /// <summary>A replied call.</summary>
    public static JsonObject Ok(ReadOnlySpan<byte> reply) => new() { ["Ok"] = PocketIcJson.Base64(reply) };

    /// <summary>A rejected call; <paramref name="errorCode"/> is the IC's text form (<c>IC0503</c>) or null.</summary>
    public static JsonObject Err(int rejectCode, string message, string? errorCode, bool certified) => new()
    {
        ["Err"] = new JsonObject
        {
            ["reject_code"] = rejectCode,
            ["reject_message"] = message,
            ["error_code"] = ErrorCodeNumber(errorCode, rejectCode),
            ["certified"] = certified,
        },
    };

    /// <summary>A query's outcome (never certified).</summary>
    public static JsonObject From(CanisterReply reply) => reply switch
    {
        CanisterReply.Replied r => Ok(r.Candid.Span),
        CanisterReply.Rejected r => Err((int)r.Code, r.Message, r.ErrorCode, certified: false),
        _ => throw new ArgumentException($"unknown reply {reply}", nameof(reply)),
    };

    /// <summary>An executed update's outcome (certified).</summary>
    public static JsonObject From(RequestStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.Reply is { } reply ? Ok(reply) : Err(status.RejectCode, status.RejectMessage ?? "", status.ErrorCode, certified: true);
    }

    // "IC0503" -> 503; without one, the IC's generic code of the reject class (e.g. 4 -> 406 CanisterRejectedMessage).
    private static int ErrorCodeNumber(string? errorCode, int rejectCode) =>
        errorCode is { Length: > 2 } && errorCode.StartsWith("IC", StringComparison.Ordinal)
            && int.TryParse(errorCode.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            ? n
            : rejectCode switch
            {
                1 => 101,
                2 => 201,
                3 => 301,
                4 => 406,
                5 => 503,
                _ => 0,
            };
}
