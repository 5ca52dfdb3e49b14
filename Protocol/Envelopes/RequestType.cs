namespace InternetIdentity.Protocol.Envelopes;

/// <summary>The <c>request_type</c> of a request's content.</summary>
public enum RequestType
{
    /// <summary><c>"call"</c>: an update call.</summary>
    Call,

    /// <summary><c>"query"</c>: a query call.</summary>
    Query,

    /// <summary><c>"read_state"</c>: a read of the certified state tree.</summary>
    ReadState,
}
