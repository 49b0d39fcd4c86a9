using KafkaChaos.Experiments;
using NUnit.Framework;

namespace KafkaChaos.Tests.Experiments;

public class ProducerSettingsTests
{
    [TestCase("acks", "2", "acks")]
    [TestCase("request.required.acks", "5", "acks")]
    [TestCase("message.timeout.ms", "soon", "message.timeout.ms")]
    [TestCase("delivery.timeout.ms", "-1", "message.timeout.ms")]
    [TestCase("linger.ms", "abc", "linger.ms")]
    [TestCase("no.such.setting", "1", "no.such.setting")]
    public void Problem_ABadValue_NamesTheSetting(string key, string value, string named)
    {
        var problem = ProducerSettings.Problem(new Dictionary<string, string> { [key] = value });

        Assert.That(problem, Is.Not.Null);
        Assert.That(problem!.Value.Key, Is.EqualTo(named));
        Assert.That(problem.Value.Message, Does.Contain(value));
    }

    [Test]
    public void Problem_TwoNamesForOneSettingThatDisagree_IsAConflict()
    {
        var problem = ProducerSettings.Problem(new Dictionary<string, string> { ["message.timeout.ms"] = "60000", ["delivery.timeout.ms"] = "1000" });

        Assert.That(problem!.Value.Key, Is.EqualTo("delivery.timeout.ms"));
        Assert.That(problem.Value.Message, Does.Contain("60000").And.Contain("1000"));
    }

    [Test]
    public void Problem_TheDefaultsAndAliasesThatAgree_AreFine()
    {
        Assert.That(ProducerSettings.Problem(ExperimentSpec.Default.Producer), Is.Null);
        Assert.That(ProducerSettings.Problem(new Dictionary<string, string> { ["acks"] = "-1", ["request.required.acks"] = "-1", ["delivery.timeout.ms"] = "5000" }), Is.Null);
    }

    [Test]
    public void MessageTimeout_ReadsEitherName()
    {
        Assert.That(ProducerSettings.MessageTimeout(new Dictionary<string, string> { ["delivery.timeout.ms"] = "5000" }), Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(ProducerSettings.MessageTimeout(new Dictionary<string, string>()), Is.EqualTo(ProducerSettings.DefaultMessageTimeout));
    }
}
