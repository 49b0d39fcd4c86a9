namespace KafkaChaos.Experiments;

/// <summary>The experiment asks for something impossible or unsupported; the message names the setting. Exit code 2.</summary>
public sealed class ExperimentConfigException(string message) : Exception(message);
