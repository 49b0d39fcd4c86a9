using Confluent.Kafka;
using KafkaChaos.Journal;

namespace KafkaChaos.Workload;

/// <summary>
/// One producer identity: sends sequence numbers 0..N-1 as <see cref="MessageEnvelope"/>s, open-loop at
/// a target rate, and journals exactly one outcome per attempt. A restarted producer is a new instance
/// with a new id, starting again at sequence 0; before its own sequences it may resend the unknown sends
/// of the identities before it, under their envelopes (<see cref="Resend"/>).
/// </summary>
/// <remarks>
/// One delivery handler serves every message (no Task or closure per send); it reads the sequence back
/// from the value. An attempt's outcome is claimed with an atomic bit, so a late delivery report after
/// shutdown cannot add a second outcome to one already journalled as unknown.
/// </remarks>
public sealed class SequencedProducer : IDisposable
{
    /// <summary>
    /// At most how long a send waits for room when the client's queue is full: <c>Poll</c> returns as
    /// soon as the client's background thread has served delivery reports. The raw bench client waits
    /// the same, so that both meet a full queue alike (this one waited up to 50 ms, the raw one 10).
    /// </summary>
    public static readonly TimeSpan QueueFullWait = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// The delivery report fields <see cref="OnDelivery"/> reads. The client would otherwise look up each
    /// report's timestamp and headers, two native calls and a headers list per message, for nothing.
    /// </summary>
    public const string DeliveryReportFields = "value,status";

    private readonly IProducer<byte[]?, byte[]> _producer;
    private readonly JournalWriter _journal;
    private readonly TimeProvider _time;
    private readonly string _topic;
    private readonly int _messageSize;
    private readonly MessageKeys _keys;
    private readonly long[] _reported;
    private readonly Action<DeliveryReport<byte[]?, byte[]>> _onDelivery;
    private readonly Action<DeliveryReport<byte[]?, byte[]>> _onResendDelivery;
    private UnknownSend[] _resends = [];
    private Dictionary<UnknownSend, int> _resendIndex = [];
    private long[] _resendReported = [];
    private long _resendsHanded;
    private long _sent;
    private long _outcomes;
    private long _failed;

    /// <summary>
    /// False for acks=0: no broker response comes back, and librdkafka then sometimes reports offsets that
    /// count from 0 within a batch (seen on Kafka 0.9). Such an offset says nothing of where the message is.
    /// </summary>
    private readonly bool _positionsReported;

    public SequencedProducer(int producerId, Guid runId, string topic, long count, int messageSize, MessageKeys keys,
        IReadOnlyDictionary<string, string> config, JournalWriter journal, TimeProvider time, Action<string> clientLog,
        Action<string>? statistics = null)
    {
        if (messageSize < MessageEnvelope.HeaderSize)
        {
            throw new ArgumentOutOfRangeException(nameof(messageSize), messageSize, $"messages must be at least {MessageEnvelope.HeaderSize} bytes");
        }

        Name = ClientNames.Producer(producerId);
        ProducerId = producerId;
        _keys = keys;
        RunId = runId;
        Count = count;
        _topic = topic;
        _messageSize = messageSize;
        _journal = journal;
        _time = time;
        _reported = new long[(count + 63) / 64];
        _onDelivery = OnDelivery;
        _onResendDelivery = OnResendDelivery;
        _positionsReported = AcksSetting.Of(config) != "0";
        _producer = new ProducerBuilder<byte[]?, byte[]>(
                new Dictionary<string, string>(config, StringComparer.Ordinal) { [ConfigPropertyNames.Producer.DeliveryReportFields] = DeliveryReportFields })
            .SetLogHandler((_, m) => clientLog($"{Name} {m.Level} {m.Facility}: {m.Message}"))
            .SetErrorHandler((_, e) => clientLog($"{Name} error {e.Code}: {e.Reason}"))
            .SetStatisticsHandler((_, json) => statistics?.Invoke(json))
            .Build();
    }

    public string Name { get; }
    public int ProducerId { get; }
    public Guid RunId { get; }
    public long Count { get; }
    public long Sent => Volatile.Read(ref _sent);
    public long Outcomes => Interlocked.Read(ref _outcomes);

    /// <summary>Attempts whose delivery report was an error (failed or unknown), so far.</summary>
    public long FailedDeliveries => Interlocked.Read(ref _failed);

    /// <summary>Earlier identities' unknown sends this one has handed to the client again.</summary>
    public long Resent => Volatile.Read(ref _resendsHanded);

    /// <summary>Sends the broker acknowledged so far.</summary>
    public long Acknowledged => Outcomes - FailedDeliveries;
    public LatencyRecorder ProduceToAck { get; } = new();

    /// <summary>
    /// Hands every message to the client at <paramref name="ratePerSecond"/> (0: as fast as it takes them).
    /// Returns early, with the rest never sent, when <paramref name="cancellationToken"/> fires.
    /// </summary>
    /// <param name="ratePerSecond">Target send rate; 0 sends as fast as the client takes messages.</param>
    /// <param name="cancellationToken">Stops sending at the next message.</param>
    /// <param name="scheduleStartMicros">When the open-loop schedule began (a restarted producer keeps its predecessor's schedule); null: now.</param>
    /// <param name="scheduleOffset">How many messages of the schedule earlier identities already sent.</param>
    public void Run(double ratePerSecond, CancellationToken cancellationToken, long? scheduleStartMicros = null, long scheduleOffset = 0)
    {
        var startMicros = scheduleStartMicros ?? NowMicros();
        for (long sequence = 0; sequence < Count && !cancellationToken.IsCancellationRequested; sequence++)
        {
            long intended;
            if (ratePerSecond > 0)
            {
                intended = startMicros + (long)((sequence + scheduleOffset) * 1_000_000 / ratePerSecond);
                WaitUntil(intended, cancellationToken);
            }
            else
            {
                intended = NowMicros();
            }

            var value = new byte[_messageSize];
            new MessageEnvelope(RunId, ProducerId, sequence, intended).Encode(value);
            var message = new Message<byte[]?, byte[]> { Key = _keys.For(ProducerId, sequence), Value = value };
            _journal.SendStarted(ProducerId, sequence + 1);
            if (Hand(message, _onDelivery) is { } refused && Claim(sequence))
            {
                // The client refused the message outright (too large for message.max.bytes, say): a send
                // attempt that definitely failed, journalled like any other outcome.
                _journal.WriteProduced(Unpositioned(ProducerId, sequence, ProduceStatus.Failed, NowMicros() / 1000, refused));
                Interlocked.Increment(ref _failed);
                Interlocked.Increment(ref _outcomes);
            }

            // One writer: a plain store, not a locked increment on the cache line the delivery thread writes.
            Volatile.Write(ref _sent, sequence + 1);
        }
    }

    /// <summary>
    /// Sends <paramref name="sends"/> again, at once and before any sequence of this identity's own, each
    /// under the envelope (producer id and sequence) it first went out with: what an application does
    /// with the sends a crash left it unsure of. The broker sees a new producer id, so idempotence cannot
    /// tell a resend from the original, and where the original was stored the log holds two copies.
    /// Each resend's outcome is journalled under the original identity; the checker takes the best one.
    /// </summary>
    /// <remarks>Call once, before <see cref="Run"/>. Returns early when <paramref name="cancellationToken"/> fires.</remarks>
    public void Resend(IReadOnlyList<UnknownSend> sends, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sends);
        if (_resends.Length > 0 || Sent > 0)
        {
            throw new InvalidOperationException($"{Name} resends once, before its own sends");
        }

        var index = new Dictionary<UnknownSend, int>(sends.Count);
        foreach (var send in sends)
        {
            index.TryAdd(send, index.Count);
        }

        _resends = [.. index.Keys];
        _resendReported = new long[(_resends.Length + 63) / 64];
        _resendIndex = index;
        for (var i = 0; i < _resends.Length && !cancellationToken.IsCancellationRequested; i++)
        {
            var (producer, sequence) = _resends[i];
            var value = new byte[_messageSize];
            new MessageEnvelope(RunId, producer, sequence, NowMicros()).Encode(value);
            if (Hand(new Message<byte[]?, byte[]> { Key = _keys.For(producer, sequence), Value = value }, _onResendDelivery) is { } refused && Claim(_resendReported, i))
            {
                _journal.WriteProduced(Unpositioned(producer, sequence, ProduceStatus.Failed, NowMicros() / 1000, refused));
            }

            Volatile.Write(ref _resendsHanded, i + 1);
        }
    }

    /// <summary>
    /// Sends one empty record to each of the topic's <paramref name="partitions"/> and waits for them, so
    /// that metadata and broker connections exist before a timed schedule starts. The bench does this for
    /// the raw client and the harness alike; experiments do not, because their consumer would rightly
    /// count the empty records as phantoms.
    /// </summary>
    public void WarmUp(int partitions, TimeSpan timeout)
    {
        for (var partition = 0; partition < partitions; partition++)
        {
            _producer.Produce(new TopicPartition(_topic, partition), new Message<byte[]?, byte[]> { Value = [] });
        }

        _producer.Flush(timeout);
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for outstanding deliveries, then journals every attempt
    /// that still has no outcome as unknown: it may or may not have been stored.
    /// </summary>
    /// <param name="timeout">How long to wait for outstanding deliveries.</param>
    /// <param name="unknown">
    /// Where a restart that resends collects what the next identity must send again: every send journalled
    /// unknown here, and the resends this identity never got to hand over.
    /// </param>
    /// <returns>How many attempts were journalled as unknown.</returns>
    public long Finish(TimeSpan timeout, ICollection<UnknownSend>? unknown = null)
    {
        _producer.Flush(timeout);
        var sent = Sent;
        var now = _time.Millis();
        long journalled = 0;
        for (long sequence = 0; sequence < sent; sequence++)
        {
            // A word whose 64 attempts all have an outcome needs no claim each: after a flush that is
            // nearly every word, and a locked operation per sent message would lengthen every run's end.
            if ((sequence & 63) == 0 && sent - sequence >= 64 && Volatile.Read(ref _reported[sequence >> 6]) == -1L)
            {
                sequence += 63;
                continue;
            }

            if (Claim(sequence))
            {
                _journal.WriteProduced(Unpositioned(ProducerId, sequence, ProduceStatus.Unknown, now, ErrorCode.Local_Destroy));
                Interlocked.Increment(ref _outcomes);
                unknown?.Add(new UnknownSend(ProducerId, sequence));
                journalled++;
            }
        }

        var handed = Resent;
        for (var i = 0; i < _resends.Length; i++)
        {
            if (i >= handed)
            {
                unknown?.Add(_resends[i]); // never handed over by this identity: still as unknown as before
            }
            else if (Claim(_resendReported, i))
            {
                _journal.WriteProduced(Unpositioned(_resends[i].Producer, _resends[i].Sequence, ProduceStatus.Unknown, now, ErrorCode.Local_Destroy));
                unknown?.Add(_resends[i]);
                journalled++;
            }
        }

        return journalled;
    }

    public void Dispose() => _producer.Dispose();

    private void OnDelivery(DeliveryReport<byte[]?, byte[]> report)
    {
        var sequence = MessageEnvelope.ReadSequence(report.Message.Value);
        if (!Claim(sequence))
        {
            return;
        }

        var nowMicros = NowMicros();
        var outcome = OutcomeOf(report, ProducerId, sequence, nowMicros / 1000);
        if (outcome.Status == ProduceStatus.Acked)
        {
            ProduceToAck.Record(nowMicros - MessageEnvelope.ReadIntendedSendMicros(report.Message.Value));
        }
        else
        {
            Interlocked.Increment(ref _failed);
        }

        _journal.WriteProduced(outcome);
        Interlocked.Increment(ref _outcomes);
    }

    /// <summary>
    /// The one reading of a delivery report, for own sends and resends alike: acknowledged, with its
    /// position unless acks=0 (no broker response: the position is unknown, whatever offset the report
    /// carries); failed where the client knows nothing was persisted; unknown otherwise.
    /// </summary>
    private ProduceOutcome OutcomeOf(DeliveryReport<byte[]?, byte[]> report, int producer, long sequence, long nowMs)
    {
        if (report.Error.IsError)
        {
            return Unpositioned(producer, sequence, report.Status == PersistenceStatus.NotPersisted ? ProduceStatus.Failed : ProduceStatus.Unknown,
                nowMs, report.Error.Code);
        }

        var known = _positionsReported && report.Offset.Value >= 0;
        return new ProduceOutcome(producer, sequence, ProduceStatus.Acked,
            known ? report.Partition.Value : ProduceOutcome.NoPosition, known ? report.Offset.Value : ProduceOutcome.NoPosition, nowMs);
    }

    /// <summary>An outcome without a position: a failure, or an unknown, with the client's error code.</summary>
    private static ProduceOutcome Unpositioned(int producer, long sequence, ProduceStatus status, long nowMs, ErrorCode code) =>
        new(producer, sequence, status, ProduceOutcome.NoPosition, ProduceOutcome.NoPosition, nowMs, (int)code);

    /// <summary>A resend's outcome, journalled under the identity it was first sent as; no latency, no own counts.</summary>
    private void OnResendDelivery(DeliveryReport<byte[]?, byte[]> report)
    {
        var send = new UnknownSend(MessageEnvelope.ReadProducerId(report.Message.Value), MessageEnvelope.ReadSequence(report.Message.Value));
        if (!_resendIndex.TryGetValue(send, out var i) || !Claim(_resendReported, i))
        {
            return;
        }

        _journal.WriteProduced(OutcomeOf(report, send.Producer, send.Sequence, NowMicros() / 1000));
    }

    /// <summary>Hands one message to the client, waiting for room while its queue is full.</summary>
    /// <returns>Null once the client has it; the error when it refused the message outright.</returns>
    private ErrorCode? Hand(Message<byte[]?, byte[]> message, Action<DeliveryReport<byte[]?, byte[]>> onDelivery)
    {
        while (true)
        {
            try
            {
                _producer.Produce(_topic, message, onDelivery);
                return null;
            }
            catch (ProduceException<byte[]?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // Backpressure from the client's own queue, not an outcome: wait for room.
                _producer.Poll(QueueFullWait);
            }
            catch (ProduceException<byte[]?, byte[]> e)
            {
                return e.Error.Code;
            }
        }
    }


    /// <returns>True for the first caller for this sequence only.</returns>
    private bool Claim(long sequence) => Claim(_reported, sequence);

    /// <returns>True for the first caller for bit <paramref name="index"/> of <paramref name="bits"/> only.</returns>
    private static bool Claim(long[] bits, long index)
    {
        var bit = 1L << (int)(index & 63);
        return (Interlocked.Or(ref bits[index >> 6], bit) & bit) == 0;
    }

    private long NowMicros() => _time.Micros();

    private void WaitUntil(long intendedMicros, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var ahead = intendedMicros - NowMicros();
            if (ahead <= 0)
            {
                return;
            }

            if (ahead > 2000)
            {
                _producer.Poll(TimeSpan.FromMilliseconds(Math.Min(ahead / 1000 - 1, 100)));
            }
            else
            {
                // Sleep, never spin: a sender spinning between sends 4 to 500 µs apart held a whole core, on
                // machines where the brokers and the consumers need it. What falls due meanwhile goes out
                // together on waking, each message still timed from its own intended send time.
                _time.Sleep(TimeSpan.FromMilliseconds(1));
            }
        }
    }
}
