using System.Diagnostics;

namespace Validium.HwTests;

public sealed record TestReport(
    DateTimeOffset At, string Host, int Seed, string? Fault, string? FaultDescription, IReadOnlyList<TargetAvailability> Targets, IReadOnlyList<CheckResult> Checks)
{
    public int Passed => Checks.Count(c => c.Status == CheckStatus.Passed);

    public int Failed => Checks.Count(c => c.Status == CheckStatus.Failed);

    public int Skipped => Checks.Count(c => c.Status == CheckStatus.Skipped);
}

/// <summary>
/// <c>vld hw test</c>: the conformance checks on every requested target, or on the board simulator with one fault
/// injected, where a check passes when the answer is still right and the fault was seen and handled.
/// </summary>
public static class HwTestRunner
{
    /// <summary>The targets a plain run covers: every target this machine has, plus the absent hardware (skipped).</summary>
    public static IReadOnlyList<TargetAvailability> Select(ProbeReport probe, IReadOnlyList<string>? devices, FaultKind? fault)
    {
        var all = probe.Targets;
        if (devices is null || devices.Count == 0)
        {
            if (fault is null) return all;
            return [all.Single(t => t.Target.Id == Targets.FpgaSim)];
        }
        var chosen = new List<TargetAvailability>();
        foreach (var id in devices)
        {
            var t = all.FirstOrDefault(a => a.Target.Id == id)
                ?? throw new ArgumentException($"unknown device '{id}'; this machine knows {string.Join(", ", all.Select(a => a.Target.Id))}");
            if (fault is { } f && FaultInjection.NotApplicable(f, t.Target) is { } why) throw new ArgumentException(why);
            if (!chosen.Contains(t)) chosen.Add(t);
        }
        return chosen;
    }

    public static TestReport Run(HarnessOptions options, IReadOnlyList<string>? devices = null, FaultKind? fault = null, ProbeReport? probe = null)
    {
        probe ??= DeviceProbe.Run(options);
        var targets = Select(probe, devices, fault);
        var results = new List<CheckResult>();
        foreach (var t in targets)
        {
            if (!t.Available)
            {
                results.AddRange(Conformance.ChecksFor(t.Target).Select(c => new CheckResult(t.Target.Id, c, CheckStatus.Skipped, t.Reason, 0, null)));
                continue;
            }
            if (fault is { } f) results.AddRange(FaultRun(t.Target, f, options));
            else results.AddRange(PlainRun(t.Target, options));
        }
        return new(DateTimeOffset.UtcNow, probe.Host, options.Seed, fault is { } k ? FaultInjection.Name(k) : null, fault is { } d ? FaultInjection.Describe(d) : null, targets, results);
    }

    private static IEnumerable<CheckResult> PlainRun(HwTarget target, HarnessOptions options)
    {
        var sw = Stopwatch.StartNew();
        using var session = DeviceSession.Open(target, options);
        var results = new List<CheckResult>();
        foreach (var check in Conformance.ChecksFor(target))
        {
            var r = Conformance.Run(session, check, options.Seed);
            // Bring-up is part of the init check's time (it is where kernels compile and boards are first read).
            if (check == Conformance.Init) r = r with { Milliseconds = sw.Elapsed.TotalMilliseconds };
            results.Add(r);
        }
        return results;
    }

    /// <summary>Each op gets a fresh board with the fault armed before bring-up, so each result shows one fault's path alone.</summary>
    private static IEnumerable<CheckResult> FaultRun(HwTarget target, FaultKind fault, HarnessOptions options)
    {
        foreach (var check in Conformance.OpChecks)
        {
            Func<bool> fired = () => false;
            using var session = DeviceSession.Open(target, options, board => fired = FaultInjection.Arm(board, fault));
            var before = new Observation(0, 0, 0, 0, 0, 0, 0, false, 0);
            var r = Conformance.Run(session, check, options.Seed, requireDevice: false);
            var observed = Observed.Between(session, before, session.Observe(), session.OpenFailure);
            bool didFire = fired();
            var (status, detail) = (r.Status, didFire, observed.Any) switch
            {
                (CheckStatus.Passed, true, true) => (CheckStatus.Passed, $"{r.Detail}; handled by {string.Join(", ", observed.Handling.Select(Name))}"),
                (CheckStatus.Passed, false, _) => (CheckStatus.Failed, $"{r.Detail}, but the board never produced the fault"),
                (CheckStatus.Passed, true, false) => (CheckStatus.Failed, $"{r.Detail}, but nothing in the driver or the dispatcher noticed the fault"),
                _ => (r.Status, r.Detail),
            };
            yield return r with { Status = status, Detail = detail, Observed = observed, Fault = FaultInjection.Name(fault), FaultFired = didFire };
        }
    }

    public static string Name(Handling h) => h switch
    {
        Handling.Retry => "retry",
        Handling.Reset => "reset",
        Handling.Refusal => "refusal",
        Handling.Throttle => "throttle",
        Handling.StatusRecovery => "status-recovery",
        Handling.Quarantine => "quarantine",
        _ => "cpu-fallback",
    };
}
