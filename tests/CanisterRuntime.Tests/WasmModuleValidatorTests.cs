using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using InternetIdentity.Protocol.Canister;

namespace InternetIdentity.CanisterRuntime.Tests;

public class WasmModuleValidatorTests
{
    private CanisterEngine _engine = null!;

    [OneTimeSetUp]
    public void SetUp() => _engine = new CanisterEngine();

    [OneTimeTearDown]
    public void TearDown() => _engine.Dispose();

    private string? Refusal(string wat) => Refusal(TestCanisters.Wat(wat));

    private string? Refusal(byte[] wasm) => _engine.TryLoadModule(wasm, out _, out WasmValidationError? error) ? null : error!.Message;

    [Test]
    public void TryLoadModule_UnknownImport_RefusedWithIcText() =>
        Assert.That(Refusal("""(module (import "ic0" "launch_rockets" (func)))"""), Is.EqualTo(
            "Wasm module has an invalid import section. Module imports function 'launch_rockets' from 'ic0' that is not exported by the runtime."));

    [Test]
    public void TryLoadModule_ImportFromAnotherModule_Refused() =>
        Assert.That(Refusal("""(module (import "env" "msg_reply" (func)))"""), Is.EqualTo(
            "Wasm module has an invalid import section. Module imports function \"msg_reply\" from \"env\", expected to be imported from one of [\"ic0\"] instead."));

    [Test]
    public void TryLoadModule_WrongImportSignature_Refused() =>
        Assert.That(Refusal("""(module (import "ic0" "msg_reply" (func (param i32))))"""), Is.EqualTo(
            "Wasm module has an invalid function signature. Expected input params [] for 'msg_reply', got [I32]."));

    [Test]
    public void TryLoadModule_Memory64WithI32Pointers_Refused() =>
        Assert.That(Refusal("""(module (import "ic0" "msg_arg_data_size" (func (result i32))) (memory i64 1))"""), Is.EqualTo(
            "Wasm module has an invalid function signature. Expected return type [I64] for 'msg_arg_data_size', got [I32]."));

    [Test]
    public void TryLoadModule_LegacyApiInMemory64Module_Refused() =>
        Assert.That(Refusal("""(module (import "ic0" "stable_size" (func (result i32))) (memory i64 1))"""), Is.EqualTo(
            "Wasm module has an invalid import section. Module imports function 'stable_size' from 'ic0' that is not exported by the runtime."));

    [Test]
    public void TryLoadModule_ImportedGlobal_Refused() =>
        Assert.That(Refusal("""(module (import "env" "g" (global i32)))"""), Is.EqualTo(
            "Wasm module has an invalid import section. Importing globals is not allowed."));

    [Test]
    public void TryLoadModule_SameMethodAsUpdateAndQuery_Refused() =>
        Assert.That(Refusal("""(module (func $f) (export "canister_update f" (func $f)) (export "canister_query f" (func $f)))"""), Is.EqualTo(
            "Wasm module has an invalid export section. Duplicate function 'f' exported multiple times with different call types: update, query, or composite_query."));

    [Test]
    public void TryLoadModule_ReservedCanisterPrefix_Refused() =>
        Assert.That(Refusal("""(module (func $f) (export "canister_foo" (func $f)))"""), Is.EqualTo(
            "Wasm module has an invalid export section. Exporting reserved function 'canister_foo' with \"canister_\" prefix"));

    [Test]
    public void TryLoadModule_MethodWithParameters_Refused() =>
        Assert.That(Refusal("""(module (func $f (param i32)) (export "canister_update f" (func $f)))"""), Is.EqualTo(
            "Wasm module has an invalid function signature. Expected input params [] for 'canister_update f', got [I32]."));

    [Test]
    public void TryLoadModule_NotWasm_RefusedAsUndecodable() =>
        Assert.That(Refusal(Encoding.ASCII.GetBytes("hello, world")), Does.StartWith("Failed to decode wasm module: "));

    [Test]
    public void TryLoadModule_InvalidFunctionBody_RefusedByWasmtime()
    {
        byte[] wasm = TestCanisters.Wat("(module (func (result i32) (i32.const 1)))");
        wasm[^3] = 0x6A; // i32.const becomes i32.add on an empty stack: fails validation
        Assert.That(Refusal(wasm), Does.StartWith("Wasmtime failed to validate wasm module"));
    }

    [Test]
    public void TryLoadModule_Gzipped_AcceptedWithHashOfGivenBytes()
    {
        byte[] wasm = TestCanisters.Wat(WatModules.Echo);
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(wasm);
        }

        byte[] gzipped = output.ToArray();
        CanisterModule module = TestCanisters.Load(_engine, gzipped);
        Assert.That(module.ModuleHash.ToArray(), Is.EqualTo(SHA256.HashData(gzipped)));
        Assert.That(module.Exports.Updates, Does.Contain("echo"));
        Assert.That(module.Exports.Queries, Does.Contain("caller"));
    }

    [Test]
    public void TryLoadModule_CorruptGzip_Refused()
    {
        byte[] corrupt = [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0xFF, 1, 2, 3];
        Assert.That(Refusal(corrupt), Does.StartWith("Failed to decode wasm module: "));
    }

    [Test]
    public void TryLoadModule_IcpCustomSections_BecomeMetadata()
    {
        byte[] wasm = [.. TestCanisters.Wat("(module)"), .. CustomSection("icp:public candid:service", "service : {}"),
            .. CustomSection("icp:private secret", "x"), .. CustomSection("name", "ignored")];
        CanisterModule module = TestCanisters.Load(_engine, wasm);
        Assert.That(module.Metadata.Keys, Is.EquivalentTo(new[] { "candid:service", "secret" }));
        Assert.That(Encoding.UTF8.GetString(module.Metadata["candid:service"].Content.Span), Is.EqualTo("service : {}"));
        Assert.That(module.Metadata["candid:service"].IsPublic, Is.True);
        Assert.That(module.Metadata["secret"].IsPublic, Is.False);
    }

    [Test]
    public void TryLoadModule_IcpSectionWithoutScope_Refused()
    {
        byte[] wasm = [.. TestCanisters.Wat("(module)"), .. CustomSection("icp:candid:service", "x")];
        Assert.That(Refusal(wasm), Is.EqualTo(
            "Wasm module has an invalid custom section. Invalid custom section: Custom section 'icp:candid:service' has no public/private scope defined."));
    }

    [Test]
    public void TryLoadModule_SameModuleTwice_CompiledOnce()
    {
        using var engine = new CanisterEngine();
        byte[] wasm = TestCanisters.Wat(WatModules.Echo);
        CanisterModule first = TestCanisters.Load(engine, wasm);
        CanisterModule second = TestCanisters.Load(engine, wasm);
        Assert.That(second, Is.SameAs(first));
        Assert.That(engine.CachedModuleCount, Is.EqualTo(1));
    }

    [Test]
    public void TryLoadModule_CacheFull_DropsTheModuleLoadedLongestAgo()
    {
        using var engine = new CanisterEngine(moduleCacheCapacity: 2);
        byte[] a = EchoBuild("a"), b = EchoBuild("b"), c = EchoBuild("c");
        CanisterModule firstA = TestCanisters.Load(engine, a);
        CanisterModule firstB = TestCanisters.Load(engine, b);
        Assert.That(TestCanisters.Load(engine, a), Is.SameAs(firstA), "a loaded again: now the most recent");

        TestCanisters.Load(engine, c);

        Assert.That(engine.CachedModuleCount, Is.EqualTo(2));
        Assert.That(TestCanisters.Load(engine, a), Is.SameAs(firstA), "a was kept");
        Assert.That(TestCanisters.Load(engine, b), Is.Not.SameAs(firstB), "b, loaded longest ago, was dropped and compiled again");
        Assert.That(engine.CachedModuleCount, Is.EqualTo(2));
    }

    [Test]
    public void TryLoadModule_ModuleDroppedFromCache_ItsCanisterStillRuns()
    {
        using var engine = new CanisterEngine(moduleCacheCapacity: 1);
        using WasmCanister canister = TestCanisters.Install(engine, EchoBuild("installed"));

        TestCanisters.Load(engine, EchoBuild("next")); // drops the installed canister's module from the cache
        GC.Collect();
        GC.WaitForPendingFinalizers();

        ExecutionResult result = canister.ExecuteUpdate(TestCanisters.Call("echo", [4, 5]));
        Assert.That(result.Response, Is.TypeOf<CanisterReply.Replied>());
        Assert.That(((CanisterReply.Replied)result.Response!).Candid.ToArray(), Is.EqualTo(new byte[] { 4, 5 }));
    }

    [Test]
    public void Constructor_NoModuleCache_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new CanisterEngine(moduleCacheCapacity: 0));

    // The echo module with a custom section that makes each build's hash its own.
    private static byte[] EchoBuild(string build) => [.. TestCanisters.Wat(WatModules.Echo), .. CustomSection("build", build)];

    private static byte[] CustomSection(string name, string content)
    {
        byte[] nameBytes = Encoding.UTF8.GetBytes(name);
        byte[] body = [(byte)nameBytes.Length, .. nameBytes, .. Encoding.UTF8.GetBytes(content)];
        return [0, (byte)body.Length, .. body];
    }
}
