using System.Diagnostics;
using System.Diagnostics.Metrics;
using InternetIdentity.Consensus.Core;

namespace InternetIdentity.Replica.Metrics;

/// <summary>
/// One replica's metrics: a <see cref="Meter"/> of its own (tagged with the subnet and replica index, and exported by a
/// collector that listens to this instance only, so replicas sharing a process never mix), the instruments named as
/// Prometheus names them, and the methods the host calls to record a value. The pure core only returns events and state;
/// only the host records.
/// </summary>
public sealed class ReplicaMetrics : IDisposable
{
    /// <summary>The meter's name (every replica's meter has it; its tags tell them apart).</summary>
    public const string MeterName = "InternetIdentity.Replica";

    private static readonly double[] s_latencyBounds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] s_durationBounds = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60];
    private static readonly double[] s_messageBounds = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
    private static readonly double[] s_byteBounds = [256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304];

    private readonly Meter _meter;
    private readonly MeterCollector _collector;
    private readonly Counter<long> _blocks;
    private readonly Counter<long> _messages;
    private readonly Histogram<double> _blockMessages;
    private readonly Histogram<double> _blockBytes;
    private readonly Counter<long> _submitted;
    private readonly Histogram<double> _updateLatency;
    private readonly Histogram<double> _queryLatency;
    private readonly Counter<long> _blsOperations;
    private readonly Counter<double> _blsSeconds;
    private readonly Counter<long> _signatureChecks;
    private readonly Counter<double> _signatureSeconds;
    private readonly Histogram<double> _checkpointSeconds;
    private readonly Counter<long> _protocolEvents;
    private readonly Counter<long> _framesDropped;
    private volatile ConsensusState? _consensus;
    private long _checkpointBytes = -1;
    private Func<ulong> _executedHeight = () => 0;
    private Func<ulong> _certifiedHeight = () => 0;
    private Func<int> _peersConnected = () => 0;

    /// <summary>The metrics of replica <paramref name="replicaIndex"/> of subnet <paramref name="subnetId"/>.</summary>
    public ReplicaMetrics(string subnetId, int replicaIndex)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subnetId);
        ArgumentOutOfRangeException.ThrowIfNegative(replicaIndex);
        ReplicaIndex = replicaIndex;
        _meter = new Meter(new MeterOptions(MeterName)
        {
            Tags = [new("subnet", subnetId), new("replica", replicaIndex)],
            Scope = this,
        });

        _meter.CreateObservableGauge("iinet_notarized_height", () => _consensus?.NotarizedHeight ?? 0, description: "The highest height with a notarized block");
        _meter.CreateObservableGauge("iinet_finalized_height", () => _consensus?.FinalizedHeight ?? 0, description: "The highest finalized height");
        _meter.CreateObservableGauge("iinet_certified_height", () => (long)_certifiedHeight(), description: "The height of the newest certified state this replica serves");
        _meter.CreateObservableGauge("iinet_executed_height", () => (long)_executedHeight(), description: "The height of the last executed block");
        _meter.CreateObservableGauge("iinet_ingress_pool_messages", () => _consensus?.IngressPoolSize ?? 0, description: "Calls waiting in consensus's ingress pool for a block");
        _meter.CreateObservableGauge("iinet_consensus_pool_artifacts", () => _consensus?.PoolArtifacts ?? 0,
            description: "Proposals and shares held in consensus's artifact pool over every height it keeps");
        _meter.CreateObservableGauge("iinet_consensus_pool_heights", () => _consensus?.PoolHeights ?? 0, description: "Heights consensus's artifact pool keeps");
        _meter.CreateObservableCounter("iinet_consensus_artifacts_dropped_total", () => _consensus?.DroppedArtifacts ?? 0,
            description: "Peer artifacts consensus dropped over its per-peer, per-height bounds");
        _meter.CreateObservableGauge("iinet_peers_connected", () => _peersConnected(), description: "Other replicas this replica's cluster member sees up and reachable");
        _meter.CreateObservableGauge("iinet_checkpoint_size_bytes", () => Interlocked.Read(ref _checkpointBytes) is var b and >= 0
            ? [new Measurement<long>(b)] : Array.Empty<Measurement<long>>(), description: "The size of the last checkpoint taken");
        _blocks = _meter.CreateCounter<long>("iinet_blocks_executed_total", description: "Finalized blocks executed");
        _messages = _meter.CreateCounter<long>("iinet_messages_executed_total", description: "Update calls executed (valid messages of executed blocks)");
        _blockMessages = _meter.CreateHistogram("iinet_block_messages", description: "Ingress messages per executed block",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_messageBounds });
        _blockBytes = _meter.CreateHistogram("iinet_block_size_bytes", description: "Ingress payload bytes per executed block",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_byteBounds });
        _submitted = _meter.CreateCounter<long>("iinet_updates_submitted_total", description: "Update calls this replica's gateway handed to consensus");
        _updateLatency = _meter.CreateHistogram("iinet_update_latency_seconds", description: "From a call's submission at this replica to its certified status here",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_latencyBounds });
        _queryLatency = _meter.CreateHistogram("iinet_query_latency_seconds", description: "Query calls answered by this replica's gateway, request read to reply",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_latencyBounds });
        _blsOperations = _meter.CreateCounter<long>("iinet_bls_operations_total", description: "Threshold BLS operations of consensus, by scheme and operation");
        _blsSeconds = _meter.CreateCounter<double>("iinet_bls_seconds_total", description: "Time spent in threshold BLS operations, by scheme and operation");
        _signatureChecks = _meter.CreateCounter<long>("iinet_signature_checks_total", description: "Signature checks, by where they ran (gateway, peer_ingress, execution: request signatures; consensus: node keys)");
        _signatureSeconds = _meter.CreateCounter<double>("iinet_signature_check_seconds_total", description: "Time spent checking signatures, by where they ran");
        _checkpointSeconds = _meter.CreateHistogram("iinet_checkpoint_duration_seconds", description: "Taking and storing a checkpoint",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_durationBounds });
        _protocolEvents = _meter.CreateCounter<long>("iinet_protocol_events_total", description: "Consensus protocol events, by kind");
        _framesDropped = _meter.CreateCounter<long>("iinet_peer_frames_dropped_total",
            description: "Peer frames dropped before their payload was believed, by reason (bad_signature, replayed, misaddressed, ...)");
        _collector = new MeterCollector(_meter);
    }

    /// <summary>The replica's index.</summary>
    public int ReplicaIndex { get; }

    /// <summary>The consensus state after the last step, or null before the first.</summary>
    public ConsensusState? Consensus => _consensus;

    /// <summary>The replica's metric families now (observable values read at this moment).</summary>
    public IReadOnlyList<MetricFamily> Collect() => _collector.Collect();

    /// <summary>Where the executed and certified heights and the connected peers are read from at each collection.</summary>
    public void Observe(Func<ulong> executedHeight, Func<ulong> certifiedHeight, Func<int> peersConnected)
    {
        _executedHeight = executedHeight ?? throw new ArgumentNullException(nameof(executedHeight));
        _certifiedHeight = certifiedHeight ?? throw new ArgumentNullException(nameof(certifiedHeight));
        _peersConnected = peersConnected ?? throw new ArgumentNullException(nameof(peersConnected));
    }

    /// <summary>A consensus step ran: keeps its state (heights, ingress pool) and counts its protocol events.</summary>
    public void Stepped(StepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _consensus = result.State;
        foreach (ConsensusOutput output in result.Outputs)
        {
            if (output is ProtocolEvent e)
            {
                _protocolEvents.Add(1, new KeyValuePair<string, object?>("kind", e.Kind.ToString()));
            }
        }
    }

    /// <summary>A finalized block was executed: its ingress messages and payload bytes, and the valid messages executed.</summary>
    public void BlockExecuted(int ingressMessages, long payloadBytes, int executedMessages)
    {
        _blocks.Add(1);
        _messages.Add(executedMessages);
        _blockMessages.Record(ingressMessages);
        _blockBytes.Record(payloadBytes);
    }

    /// <summary>The gateway handed an update call to consensus.</summary>
    public void UpdateSubmitted() => _submitted.Add(1);

    /// <summary>A call submitted here reached a certified status here, after <paramref name="latency"/>.</summary>
    public void UpdateCertified(TimeSpan latency) => _updateLatency.Record(latency.TotalSeconds);

    /// <summary>The gateway answered a query after <paramref name="latency"/>.</summary>
    public void QueryAnswered(TimeSpan latency) => _queryLatency.Record(latency.TotalSeconds);

    /// <summary>A threshold BLS operation (<c>sign_share</c>, <c>verify_share</c>, <c>combine</c>, <c>verify</c>) of a scheme ran.</summary>
    public void BlsOperation(string scheme, string operation, TimeSpan elapsed)
    {
        var tags = new TagList { { "scheme", scheme }, { "op", operation } };
        _blsOperations.Add(1, tags);
        _blsSeconds.Add(elapsed.TotalSeconds, tags);
    }

    /// <summary><paramref name="count"/> signature checks ran at <paramref name="where"/>, taking <paramref name="elapsed"/>.</summary>
    public void SignaturesChecked(string where, int count, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("where", where);
        _signatureChecks.Add(count, tag);
        _signatureSeconds.Add(elapsed.TotalSeconds, tag);
    }

    /// <summary>A peer frame was dropped for <paramref name="verdict"/>.</summary>
    public void PeerFrameDropped(Cluster.FrameVerdict verdict) =>
        _framesDropped.Add(1, new KeyValuePair<string, object?>("reason", System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(verdict.ToString())));

    /// <summary>A checkpoint of <paramref name="bytes"/> was taken and stored in <paramref name="elapsed"/>.</summary>
    public void CheckpointStored(long bytes, TimeSpan elapsed)
    {
        Interlocked.Exchange(ref _checkpointBytes, bytes);
        _checkpointSeconds.Record(elapsed.TotalSeconds);
    }

    /// <summary>Stops listening and releases the meter.</summary>
    public void Dispose()
    {
        _collector.Dispose();
        _meter.Dispose();
    }
}
