using InternetIdentity.Consensus.Core;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Simulation;

internal sealed partial class SimulationRun
{
    private void Trace(SimNode node, object item, int from) => Record((_now, node.Slot, from, item));

    private void TraceLine(string line) => Record((_now, -1, -1, line));

    private void Record((long Time, int Slot, int From, object Item) entry)
    {
        if (_trace.Count == TraceLines)
        {
            _trace.Dequeue();
        }
        _trace.Enqueue(entry);
        _o.TraceSink?.Invoke(Describe(entry));
    }

    private string Describe((long Time, int Slot, int From, object Item) e)
    {
        string who = e.Slot < 0 ? "sim" : $"r{_nodes[e.Slot].Identity}{(_nodes[e.Slot].TwinGroup > 0 ? "'" : "")}";
        string what = e.Item switch
        {
            string s => s,
            ProtocolEvent pe => pe.ToString(),
            ConsensusMessage m => $"<- r{e.From} {DescribeMessage(m)}",
            _ => e.Item.ToString() ?? "",
        };
        return $"{e.Time,8} ms {who,-4} {what}";
    }

    internal static string DescribeMessage(ConsensusMessage m) => m switch
    {
        BlockProposal p => $"proposal h={p.Height} {p.Block.Hash.Short} maker={p.Block.Maker} rank={p.Block.Rank} msgs={p.Block.Payload.Length}",
        NotarizationShare s => $"notarization-share h={s.Height} {Short(s.BlockHash)} by {s.Signer}",
        FinalizationShare s => $"finalization-share h={s.Height} {Short(s.BlockHash)} by {s.Signer}",
        Notarization s => $"notarization h={s.Height} {Short(s.BlockHash)}",
        Finalization s => $"finalization h={s.Height} {Short(s.BlockHash)}",
        RandomBeaconShare s => $"beacon-share h={s.Height} by {s.Share.NodeIndex}",
        RandomBeacon s => $"beacon h={s.Height}",
        CertificationShare s => $"certification-share h={s.Height} by {s.Share.NodeIndex}",
        Certification s => $"certification h={s.Height}",
        CatchUpShare s => $"catch-up-share h={s.Height} by {s.Signer}",
        CatchUpPackage s => $"catch-up-package h={s.Height}",
        IngressGossip g => $"ingress {g.Message.RequestId.Short}",
        StatusRequest r => $"status finalized={r.FinalizedHeight} round={r.Round}",
        SyncBundle b => $"sync-bundle {b.Messages.Length} artifacts, responder at {b.ResponderFinalized}",
        _ => m.GetType().Name,
    };

    private static string Short(byte[] hash) => hash.Length == 32 ? Digest.FromBytes(hash).Short : "?";
}
