namespace InternetIdentity.Replica.Gateway;

/// <summary>A request the gateway refuses: the HTTP status and a readable reason (sent as text/plain).</summary>
/// <param name="StatusCode">400, 403, 404, 413 ...</param>
/// <param name="Message">What was wrong, in the IC's terms.</param>
public sealed record GatewayError(int StatusCode, string Message)
{
    /// <summary>400 Bad Request.</summary>
    public static GatewayError BadRequest(string message) => new(400, message);

    /// <summary>403 Forbidden (a path the sender may not read).</summary>
    public static GatewayError Forbidden(string message) => new(403, message);

    /// <summary>413 Payload Too Large.</summary>
    public static GatewayError TooLarge(string message) => new(413, message);

    /// <summary>502 Bad Gateway (the canister's answer is unusable).</summary>
    public static GatewayError BadGateway(string message) => new(502, message);
}
