using CsCheck;
using NUnit.Framework;

namespace KafkaChaos.Tests.Ledger;

public class SequenceSetTests
{
    [Test]
    public void Add_AnySequenceOfValues_BehavesLikeAHashSet()
    {
        // Values nearly in order, shuffled, repeated, below the first value and far above it.
        var values = Gen.OneOf(
            Gen.Long[0, 2_000],
            Gen.Long[-50, 50],
            Gen.Long[0, 1L << 40]);
        values.Array[0, 3_000].Sample(input =>
        {
            var set = new SequenceSet();
            var model = new HashSet<long>();
            foreach (var value in input)
            {
                if (set.Add(value) != model.Add(value))
                {
                    return false;
                }
            }

            return set.Count == model.Count
                && model.All(set.Contains)
                && input.Select(v => v + 1).Where(v => !model.Contains(v)).All(v => !set.Contains(v))
                && set.Ascending().SequenceEqual(model.Order());
        }, iter: 300);
    }

    [Test]
    public void Add_MillionInOrder_HoldsOneRangeAndASmallWindow()
    {
        var set = new SequenceSet();
        for (long i = 0; i < 1_000_000; i++)
        {
            set.Add(i);
        }

        Assert.That(set.Count, Is.EqualTo(1_000_000));
        Assert.That(set.RetainedBytes, Is.LessThan(1_000), "in-order tracking must not grow with the number of values");
    }

    [Test]
    public void Add_Shuffled_CostsBitsNotRanges()
    {
        var set = new SequenceSet();
        var random = new Random(7);
        const int Count = 1_000_000;
        var values = Enumerable.Range(0, Count).Select(i => (long)i).ToArray();
        random.Shuffle(values);
        foreach (var value in values)
        {
            set.Add(value);
        }

        Assert.That(set.Count, Is.EqualTo(Count));
        // One bit per value, times at most 4 for the power-of-two growth of the word array.
        Assert.That(set.RetainedBytes, Is.LessThanOrEqualTo(Count / 8 * 4));
        Assert.That(Enumerable.Range(0, Count).All(i => set.Contains(i)), Is.True);
    }
}
