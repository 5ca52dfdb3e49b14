namespace InternetIdentity.Protocol.Http;

/// <summary>One HTTP header as the canister HTTP interface carries it: <c>record { text; text }</c>.</summary>
/// <param name="Name">The header name, in whatever case the sender wrote it.</param>
/// <param name="Value">The header value.</param>
public readonly record struct HttpHeaderField(string Name, string Value);
