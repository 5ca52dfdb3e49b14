namespace InternetIdentity.CanisterRuntime;

/// <summary>
/// Why a module was refused, in the IC's words (e.g. "Wasm module has an invalid import section. Module imports
/// function 'x' from 'y' that is not exported by the runtime.").
/// </summary>
/// <param name="Message">The IC's text of the validation error.</param>
public sealed record WasmValidationError(string Message)
{
    /// <summary>The IC error code of an invalid module (CanisterInvalidWasm).</summary>
    public const string ErrorCode = "IC0505";

    /// <summary>The reject text <c>install_code</c> answers with: "Error from Canister &lt;id&gt;: Canister's Wasm module is not valid: ...".</summary>
    public string RejectMessage(string canisterId) => $"Error from Canister {canisterId}: Canister's Wasm module is not valid: {Message}";
}
