namespace InternetIdentity.PocketIc;

/// <summary>
/// A request the server refuses, answered with <paramref name="status"/> and PocketIC's error shape: <c>{"message": ...}</c>,
/// or, when <paramref name="plainText"/>, the plain-text body of the real server's JSON extractor (malformed JSON).
/// </summary>
public sealed class PocketIcException(int status, string message, bool plainText = false) : Exception(message)
{
    /// <summary>The HTTP status of the answer.</summary>
    public int Status { get; } = status;

    /// <summary>Whether the answer is plain text (axum's JSON rejections) rather than <c>{"message"}</c>.</summary>
    public bool PlainText { get; } = plainText;

    /// <summary>400 with <c>{"message"}</c>: what the real server answers for an operation's error.</summary>
    public static PocketIcException BadRequest(string message) => new(400, message);

    /// <summary>422 in plain text: a JSON body of the wrong shape (a missing field, wrong base64, a negative number).</summary>
    public static PocketIcException WrongShape(string message) =>
        new(422, "Failed to deserialize the JSON body into the target type: " + message, plainText: true);
}
