using System.Numerics;

namespace KafkaChaos;

/// <summary>
/// An exact set of 64-bit numbers (sequence numbers or offsets) that costs almost nothing when the
/// numbers arrive nearly in order, which is how a producer's sequences and a partition's offsets arrive.
/// </summary>
/// <remarks>
/// Two parts: closed ranges for everything below <c>_base</c>, and a bitmap window from <c>_base</c>
/// up. Whenever the first word of the window fills, it is folded into the ranges and the window slides
/// on, so an in-order stream keeps one range and a word or two of bitmap whatever its length. Numbers
/// arriving shuffled cost one bit each while they are out of order: a number below the window moves the
/// window's start down when it can. A number far above the window (over <see cref="MaxWindowBits"/>)
/// folds the whole window into ranges first, so sparse input costs ranges, never a huge bitmap.
/// </remarks>
public sealed class SequenceSet
{
    /// <summary>Largest bitmap window: 2^27 bits, 16 MiB.</summary>
    public const long MaxWindowBits = 1L << 27;

    private readonly List<Range> _ranges = [];
    private ulong[] _words = new ulong[4];
    private int _head;
    private int _used;
    private long _base = long.MinValue;

    /// <summary>How many distinct numbers the set holds.</summary>
    public long Count { get; private set; }

    /// <summary>Bytes of memory held for the set's contents (ranges and bitmap), for benchmarks.</summary>
    public long RetainedBytes => (_ranges.Capacity * 16L) + (_words.Length * 8L);

    /// <summary>Adds <paramref name="value"/>.</summary>
    /// <returns>True when the value was not in the set before.</returns>
    public bool Add(long value)
    {
        if (_base == long.MinValue)
        {
            _base = value;
        }

        var index = value - _base;
        if (index < 0)
        {
            if (!TryExtendWindowDown(value))
            {
                return AddToRanges(value);
            }

            index = value - _base;
        }

        if (index >= MaxWindowBits)
        {
            FoldWindow();
            _base = value;
            index = 0;
        }

        var word = _head + (int)(index >> 6);
        if (word >= _head + _used)
        {
            Grow(word - _head + 1);
            word = _head + (int)(index >> 6);
        }

        var bit = 1UL << (int)(index & 63);
        ref var slot = ref _words[word];
        if ((slot & bit) != 0)
        {
            return false;
        }

        slot |= bit;
        Count++;
        if (word == _head && slot == ulong.MaxValue)
        {
            Slide();
        }

        return true;
    }

    public bool Contains(long value)
    {
        if (_base == long.MinValue)
        {
            return false;
        }

        var index = value - _base;
        if (index < 0)
        {
            return RangeIndexContaining(value) >= 0;
        }

        var word = index >> 6;
        return word < _used && (_words[_head + (int)word] & (1UL << (int)(index & 63))) != 0;
    }

    /// <summary>The numbers in ascending order.</summary>
    public IEnumerable<long> Ascending()
    {
        foreach (var range in _ranges)
        {
            for (var value = range.Start; value < range.End; value++)
            {
                yield return value;
            }
        }

        for (var i = 0; i < _used; i++)
        {
            var bits = _words[_head + i];
            while (bits != 0)
            {
                var bit = BitOperations.TrailingZeroCount(bits);
                yield return _base + (i * 64L) + bit;
                bits &= bits - 1;
            }
        }
    }

    /// <summary>
    /// Moves the window's start down to cover <paramref name="value"/>, when no range is in the way and
    /// the window stays within its limit: shuffled input then costs bits, not ranges.
    /// </summary>
    private bool TryExtendWindowDown(long value)
    {
        var words = (_base - value + 63) / 64;
        var newBase = _base - (words * 64);
        if ((_ranges.Count > 0 && _ranges[^1].End > newBase) || (_used + words) * 64 > MaxWindowBits)
        {
            return false;
        }

        var extra = (int)words;
        if (_head >= extra)
        {
            _head -= extra;
            Array.Clear(_words, _head, extra);
        }
        else
        {
            var bigger = new ulong[(int)BitOperations.RoundUpToPowerOf2((uint)(_used + extra) * 2)];
            Array.Copy(_words, _head, bigger, extra, _used);
            _words = bigger;
            _head = 0;
        }

        _used += extra;
        _base = newBase;
        return true;
    }

    /// <summary>Moves full words at the head of the window into the ranges.</summary>
    private void Slide()
    {
        while (_used > 0 && _words[_head] == ulong.MaxValue)
        {
            AppendRange(_base, _base + 64);
            _words[_head] = 0;
            _head++;
            _used--;
            _base += 64;
        }

        if (_used == 0)
        {
            _head = 0;
        }
    }

    /// <summary>Moves every set bit of the window into the ranges and empties the window.</summary>
    private void FoldWindow()
    {
        for (var i = 0; i < _used; i++)
        {
            var bits = _words[_head + i];
            var wordBase = _base + (i * 64L);
            while (bits != 0)
            {
                var start = BitOperations.TrailingZeroCount(bits);
                var run = BitOperations.TrailingZeroCount(~(bits >> start));
                if (start + run >= 64)
                {
                    run = 64 - start;
                }

                AppendRange(wordBase + start, wordBase + start + run);
                bits = run + start >= 64 ? 0 : bits & ~(((1UL << run) - 1) << start);
            }

            _words[_head + i] = 0;
        }

        _head = 0;
        _used = 0;
    }

    private void Grow(int wordsNeeded)
    {
        if (_head + wordsNeeded > _words.Length)
        {
            if (wordsNeeded <= _words.Length / 2)
            {
                Array.Copy(_words, _head, _words, 0, _used);
                Array.Clear(_words, _used, _words.Length - _used);
            }
            else
            {
                var bigger = new ulong[Math.Max(_words.Length * 2, (int)BitOperations.RoundUpToPowerOf2((uint)wordsNeeded))];
                Array.Copy(_words, _head, bigger, 0, _used);
                _words = bigger;
            }

            _head = 0;
        }

        _used = wordsNeeded;
    }

    /// <summary>Adds [start, end) above every existing range (the window only ever folds upwards).</summary>
    private void AppendRange(long start, long end)
    {
        if (_ranges.Count > 0 && _ranges[^1].End >= start)
        {
            var last = _ranges[^1];
            _ranges[^1] = last with { End = Math.Max(last.End, end) };
            return;
        }

        _ranges.Add(new Range(start, end));
    }

    private bool AddToRanges(long value)
    {
        var at = FirstRangeEndingAfter(value);
        if (at < _ranges.Count && _ranges[at].Start <= value)
        {
            return false;
        }

        var joinsBelow = at > 0 && _ranges[at - 1].End == value;
        var joinsAbove = at < _ranges.Count && _ranges[at].Start == value + 1;
        if (joinsBelow && joinsAbove)
        {
            _ranges[at - 1] = _ranges[at - 1] with { End = _ranges[at].End };
            _ranges.RemoveAt(at);
        }
        else if (joinsBelow)
        {
            _ranges[at - 1] = _ranges[at - 1] with { End = value + 1 };
        }
        else if (joinsAbove)
        {
            _ranges[at] = _ranges[at] with { Start = value };
        }
        else
        {
            _ranges.Insert(at, new Range(value, value + 1));
        }

        Count++;
        return true;
    }

    private int RangeIndexContaining(long value)
    {
        var at = FirstRangeEndingAfter(value);
        return at < _ranges.Count && _ranges[at].Start <= value ? at : -1;
    }

    /// <summary>Index of the first range whose end is above <paramref name="value"/>.</summary>
    private int FirstRangeEndingAfter(long value)
    {
        int low = 0, high = _ranges.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_ranges[mid].End <= value)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    /// <summary>[Start, End).</summary>
    private readonly record struct Range(long Start, long End);
}
