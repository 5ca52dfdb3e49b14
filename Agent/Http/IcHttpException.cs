using System.Net;

namespace InternetIdentity.Agent.Http;

/// <summary>The replica answered with an HTTP status the protocol does not expect (e.g. 400 with the reason in the body).</summary>
public sealed class IcHttpException : IcAgentException
{
    /// <summary>Creates the exception from the status and body text.</summary>
    public IcHttpException(HttpStatusCode statusCode, string body, string endpoint)
        : base($"{endpoint} answered HTTP {(int)statusCode} {statusCode}: {body}")
    {
        StatusCode = statusCode;
        Body = body;
        Endpoint = endpoint;
    }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The response body as text (the replica's reason).</summary>
    public string Body { get; }

    /// <summary>The path that was requested.</summary>
    public string Endpoint { get; }
}
