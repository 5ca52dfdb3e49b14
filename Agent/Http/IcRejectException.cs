using InternetIdentity.Protocol.Canister;

namespace InternetIdentity.Agent.Http;

/// <summary>A call or query was rejected: the reject code, the reject message and the IC error code (e.g. <c>IC0503</c>).</summary>
public sealed class IcRejectException : IcAgentException
{
    /// <summary>Creates the exception from the reject's parts.</summary>
    public IcRejectException(RejectCode code, string rejectMessage, string? errorCode, string? requestId = null)
        : base($"rejected with code {(int)code} ({code}){(errorCode is null ? "" : ", error code " + errorCode)}: {rejectMessage}"
            + (requestId is null ? "" : $" (request {requestId})"))
    {
        Code = code;
        RejectMessage = rejectMessage;
        ErrorCode = errorCode;
        RequestId = requestId;
    }

    /// <summary>The reject code.</summary>
    public RejectCode Code { get; }

    /// <summary>The reject message as the replica or canister gave it.</summary>
    public string RejectMessage { get; }

    /// <summary>The IC error code such as <c>IC0503</c>, when the replica gave one.</summary>
    public string? ErrorCode { get; }

    /// <summary>The request id in hex (calls), or null (queries answered directly).</summary>
    public string? RequestId { get; }
}
