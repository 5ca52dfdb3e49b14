namespace InternetIdentity.CanisterRuntime.Wasm;

/// <summary>Thrown when bytes are not a well-formed WebAssembly binary module.</summary>
public sealed class WasmFormatException : FormatException
{
    /// <summary>Creates the exception with a message.</summary>
    public WasmFormatException(string message)
        : base(message)
    {
    }
}
