namespace KafkaChaos.Reporting;

/// <summary>An expectation that must hold in at least <see cref="AtLeast"/> of a cell's repetitions, and how many it held in.</summary>
public sealed record RateExpectationResult(string Expectation, int AtLeast, int Held, int Runs, bool Met);
