using InternetIdentity.Protocol.Candid;

namespace InternetIdentity.Protocol.Http;

/// <summary>The reply of a streaming callback: the next chunk, and the token for the one after it (null at the end).</summary>
/// <param name="Body">The chunk.</param>
/// <param name="Token">The next token, at the type the canister declared; null when the body is complete.</param>
public sealed record StreamingCallbackHttpResponse(ReadOnlyMemory<byte> Body, CandidValue? Token);
