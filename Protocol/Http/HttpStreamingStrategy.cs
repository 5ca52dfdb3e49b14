using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Protocol.Http;

/// <summary>
/// <c>variant { Callback: record { callback: func (Token) -> (StreamingCallbackHttpResponse) query; token: Token } }</c>:
/// the query method that yields the next chunk of the body, and the first token to give it. The token's type is
/// whatever the canister declares; the gateway treats it as opaque and passes it back at that type.
/// </summary>
/// <param name="CallbackCanister">The principal of the callback's service (the gateway only calls the same canister).</param>
/// <param name="CallbackMethod">The callback method's name.</param>
/// <param name="TokenType">The token's Candid type as the canister declared it.</param>
/// <param name="Token">The token value.</param>
public sealed record HttpStreamingStrategy(Principal CallbackCanister, string CallbackMethod, CandidType TokenType, CandidValue Token);
