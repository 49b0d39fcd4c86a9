using System.Globalization;
using System.Text;

namespace KafkaChaos.Experiments;

/// <summary>
/// The experiment asks for something impossible or unsupported; the message names the file position,
/// key and value. Exit code 2. The message is always one printable line: control characters from the
/// input (a key with a newline in it) are shown escaped, never echoed to the terminal.
/// </summary>
public sealed class ExperimentConfigException(string message) : Exception(OneLine(message))
{
    private static string OneLine(string text)
    {
        var line = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            line.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return line.ToString();
    }
}
