namespace KafkaChaos.Journal;

/// <summary>A history file that cannot be read; the message names the file and line.</summary>
public sealed class JournalFormatException(string message) : Exception(message);
