using System.Globalization;

namespace KafkaChaos.Journal;

/// <summary>How clients are named in journals and reports: producer id N is pN, consumer id N is cN.</summary>
public static class ClientNames
{
    public static string Producer(int id) => "p" + id.ToString(CultureInfo.InvariantCulture);

    public static string Consumer(int id) => "c" + id.ToString(CultureInfo.InvariantCulture);
}
