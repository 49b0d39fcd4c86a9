using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace KafkaChaos.Tests;

/// <summary>The one way the tool puts a time limit on an operation: on the run's clock, linked to an outer token.</summary>
public class TimeProviderWaitsTests
{
    [Test]
    public void Limit_FiresWhenTheClockPassesTheTimeout()
    {
        var time = new FakeTimeProvider();
        using var limit = time.Limit(TimeSpan.FromSeconds(3));

        time.Advance(TimeSpan.FromSeconds(2.999));
        Assert.That(limit.IsCancellationRequested, Is.False);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.That(limit.IsCancellationRequested, Is.True);
    }

    [Test]
    public void Limit_FollowsTheOuterToken()
    {
        using var outer = new CancellationTokenSource();
        using var limit = new FakeTimeProvider().Limit(TimeSpan.FromHours(1), outer.Token);

        outer.Cancel();

        Assert.That(limit.IsCancellationRequested, Is.True);
    }

    [Test]
    public void Limit_Disposed_IsNoLongerCancelledByTheOuterToken()
    {
        using var outer = new CancellationTokenSource();
        var limit = new FakeTimeProvider().Limit(TimeSpan.FromHours(1), outer.Token);
        limit.Dispose();

        Assert.DoesNotThrow(outer.Cancel);
    }
}
