using System.Runtime.InteropServices;
using KafkaChaos.Workload;
using NUnit.Framework;

namespace KafkaChaos.Tests.MockCluster;

/// <summary>
/// librdkafka's built-in mock cluster (rdkafka_mock.h), called through the same librdkafka the tool's
/// clients load (<see cref="NativeClientLibrary"/>): brokers on loopback ports that speak a modern protocol
/// with idempotent producers and consumer groups, for testing the client path of the tool without Docker.
/// </summary>
/// <remarks>
/// A test fixture, never a backend a user can pick and never evidence for a claim: it has no replication
/// and no durable log, so acknowledged loss and truncation cannot happen in it, and it has no controller,
/// so the Admin API's CreateTopics and CreatePartitions are not served. Topics are made through its own
/// rd_kafka_mock_topic_create.
/// </remarks>
internal sealed class LibrdkafkaMockCluster : IDisposable
{
    private readonly IntPtr _client;
    private readonly IntPtr _cluster;
    private readonly Functions _functions;

    public LibrdkafkaMockCluster(int brokers)
    {
        Assert.That(NativeClientLibrary.EnsureLoaded(), Is.Null, "the bundled librdkafka loads");
        Assert.That(NativeClientLibrary.Handle, Is.Not.EqualTo(IntPtr.Zero), "a bundled librdkafka build is loaded by path");
        _functions = new Functions(NativeClientLibrary.Handle);
        var errors = new byte[512];
        var conf = _functions.ConfNew();
        _functions.ConfSet(conf, "log_level", "3", errors, errors.Length);
        // The cluster runs on the threads of a client of its own, which serves nothing else.
        _client = _functions.New(0, conf, errors, errors.Length);
        Assert.That(_client, Is.Not.EqualTo(IntPtr.Zero), System.Text.Encoding.UTF8.GetString(errors).TrimEnd('\0'));
        _cluster = _functions.ClusterNew(_client, brokers);
        Assert.That(_cluster, Is.Not.EqualTo(IntPtr.Zero), "rd_kafka_mock_cluster_new");
        BootstrapServers = Marshal.PtrToStringUTF8(_functions.Bootstraps(_cluster))!;
    }

    /// <summary>The mock brokers' addresses, all on 127.0.0.1.</summary>
    public string BootstrapServers { get; }

    /// <summary>Creates a topic with its partitions led by the mock brokers.</summary>
    public void CreateTopic(string topic, int partitions, int replicationFactor) =>
        Check(_functions.TopicCreate(_cluster, topic, partitions, replicationFactor), "rd_kafka_mock_topic_create");

    /// <summary>Makes the next <paramref name="count"/> requests of <paramref name="apiKey"/> fail with <paramref name="error"/>, whichever broker gets them.</summary>
    public void FailNextRequests(short apiKey, int error, int count) =>
        _functions.PushRequestErrors(_cluster, apiKey, count, Enumerable.Repeat(error, count).ToArray());

    public void Dispose()
    {
        _functions.ClusterDestroy(_cluster);
        _functions.Destroy(_client);
    }

    private static void Check(int error, string what) => Assert.That(error, Is.Zero, $"{what} returned librdkafka error {error}");

    /// <summary>The functions of rdkafka.h and rdkafka_mock.h the fixture calls, bound by name in the loaded library.</summary>
    private sealed class Functions(IntPtr library)
    {
        public readonly ConfNewFunction ConfNew = Bind<ConfNewFunction>(library, "rd_kafka_conf_new");
        public readonly ConfSetFunction ConfSet = Bind<ConfSetFunction>(library, "rd_kafka_conf_set");
        public readonly NewFunction New = Bind<NewFunction>(library, "rd_kafka_new");
        public readonly DestroyFunction Destroy = Bind<DestroyFunction>(library, "rd_kafka_destroy");
        public readonly ClusterNewFunction ClusterNew = Bind<ClusterNewFunction>(library, "rd_kafka_mock_cluster_new");
        public readonly ClusterDestroyFunction ClusterDestroy = Bind<ClusterDestroyFunction>(library, "rd_kafka_mock_cluster_destroy");
        public readonly BootstrapsFunction Bootstraps = Bind<BootstrapsFunction>(library, "rd_kafka_mock_cluster_bootstraps");
        public readonly TopicCreateFunction TopicCreate = Bind<TopicCreateFunction>(library, "rd_kafka_mock_topic_create");
        public readonly PushRequestErrorsFunction PushRequestErrors = Bind<PushRequestErrorsFunction>(library, "rd_kafka_mock_push_request_errors_array");

        private static T Bind<T>(IntPtr library, string name) where T : Delegate =>
            Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(library, name));
    }

    private delegate IntPtr ConfNewFunction();

    private delegate int ConfSetFunction(IntPtr conf, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, byte[] errors, nint size);

    private delegate IntPtr NewFunction(int type, IntPtr conf, byte[] errors, nint size);

    private delegate void DestroyFunction(IntPtr client);

    private delegate IntPtr ClusterNewFunction(IntPtr client, int brokers);

    private delegate void ClusterDestroyFunction(IntPtr cluster);

    private delegate IntPtr BootstrapsFunction(IntPtr cluster);

    private delegate int TopicCreateFunction(IntPtr cluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partitions, int replicationFactor);

    private delegate void PushRequestErrorsFunction(IntPtr cluster, short apiKey, nint count, int[] errors);
}
