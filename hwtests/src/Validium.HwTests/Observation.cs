using Validium.Accel;

namespace Validium.HwTests;

/// <summary>The driver's and the dispatcher's counters at one moment; two of them bracket a check.</summary>
public sealed record Observation(
    long CrcRetries, int Resets, int Hangs, int LostReady, int ThermalHolds, int ThermalRefusals, long Fallbacks, bool Quarantined, int LogMark);

/// <summary>How a fault (or any trouble) showed and what the stack did about it, in the order the report lists them.</summary>
public enum Handling
{
    Retry,
    Reset,
    Refusal,
    Throttle,
    StatusRecovery,
    Quarantine,
    CpuFallback,
}

/// <summary>
/// What happened during a check, read from the driver's counters, the dispatcher's fallback records and the log,
/// never from what was injected: the same reading explains a fault on real hardware.
/// </summary>
public sealed record Observed(
    IReadOnlyList<string> Detected,
    IReadOnlyList<Handling> Handling,
    IReadOnlyList<FallbackEvent> Fallbacks,
    IReadOnlyList<LogLine> Log)
{
    public bool Any => Detected.Count > 0 || Handling.Count > 0;

    public static Observed Between(DeviceSession session, Observation before, Observation after, string? refusedAtOpen)
    {
        var detected = new List<string>();
        var handling = new SortedSet<Handling>();
        var fallbacks = session.Dispatcher.RecentFallbacks.TakeLast((int)Math.Min(100, after.Fallbacks - before.Fallbacks)).ToList();
        if (refusedAtOpen is not null)
        {
            detected.Add($"board refused at bring-up: {refusedAtOpen}");
            handling.Add(HwTests.Handling.Refusal);
        }
        if (after.CrcRetries > before.CrcRetries)
        {
            detected.Add($"CRC mismatch on {after.CrcRetries - before.CrcRetries} SPI frame(s)");
            handling.Add(HwTests.Handling.Retry);
        }
        if (after.Hangs > before.Hangs) detected.Add($"{after.Hangs - before.Hangs} job(s) gave neither READY nor DONE within the job timeout");
        if (after.Resets > before.Resets) handling.Add(HwTests.Handling.Reset);
        if (after.LostReady > before.LostReady)
        {
            detected.Add($"READY did not come within the job timeout for {after.LostReady - before.LostReady} job(s), but STATUS showed DONE");
            handling.Add(HwTests.Handling.StatusRecovery);
        }
        if (after.ThermalHolds > before.ThermalHolds)
        {
            detected.Add($"die at or above the throttle point: {after.ThermalHolds - before.ThermalHolds} job(s) held");
            handling.Add(HwTests.Handling.Throttle);
        }
        if (after.ThermalRefusals > before.ThermalRefusals)
        {
            detected.Add($"{after.ThermalRefusals - before.ThermalRefusals} job(s) refused: the die did not cool within the throttle wait");
            handling.Add(HwTests.Handling.Refusal);
        }
        foreach (var g in fallbacks.GroupBy(f => f.Reason))
        {
            var first = g.First();
            detected.Add(g.Key switch
            {
                FallbackReason.SpotCheckMismatch => $"spot-check mismatch: {first.Detail}",
                FallbackReason.DeviceError => $"device error: {first.Detail}",
                FallbackReason.Timeout => $"dispatcher timeout: {first.Detail}",
                FallbackReason.Quarantined => $"device quarantined: {first.Detail}",
                FallbackReason.DeviceAbsent => $"no device: {first.Detail}",
                _ => $"{g.Key}: {first.Detail}",
            } + (g.Count() > 1 ? $" (and {g.Count() - 1} more)" : ""));
            handling.Add(HwTests.Handling.CpuFallback);
        }
        if (after.Quarantined && !before.Quarantined) handling.Add(HwTests.Handling.Quarantine);
        var log = session.Log.Since(before.LogMark).Where(l => l.Level is "Warning" or "Error" or "Critical").ToList();
        return new(detected, [.. handling], fallbacks, log);
    }
}
