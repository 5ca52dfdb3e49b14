using System.CommandLine;

namespace InternetIdentity.Cli;

/// <summary>`iinet bls ...`: BLS12-381 keys, signatures and hashing (min-sig, as the IC uses it).</summary>
internal static class BlsCommand
{
    public static Command Create()
    {
        var bls = new Command("bls", "BLS12-381 keys, signatures and hash-to-curve, as the IC uses them");
        return bls;
    }
}
