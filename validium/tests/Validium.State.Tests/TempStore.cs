using Validium.Accel;

namespace Validium.State.Tests;

/// <summary>A state database in its own temporary directory (so tests run in parallel), deleted on dispose.</summary>
internal sealed class TempStore : IDisposable
{
    public static readonly AccelDispatcher Cpu = new(new BackendRegistry(), new AccelOptions { Mode = AccelMode.Cpu });

    private readonly StateStoreOptions? options;

    public TempStore(StateStoreOptions? options = null)
    {
        this.options = options;
        Dir = Path.Combine(Path.GetTempPath(), "validium-state-" + Guid.NewGuid().ToString("N"));
        Store = StateStore.Open(Dir, Cpu, options ?? new StateStoreOptions { SyncWrites = false });
    }

    public string Dir { get; }

    public StateStore Store { get; private set; }

    /// <summary>Closes the database and opens it again from disk, with a cold cache.</summary>
    public StateStore Reopen()
    {
        Store.Dispose();
        Store = StateStore.Open(Dir, Cpu, options ?? new StateStoreOptions { SyncWrites = false });
        return Store;
    }

    public ulong NextBatch => Store.LastBatch is { } b ? b + 1 : 1;

    public void Dispose()
    {
        Store.Dispose();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless; failing the test over it would hide the real result.
        }
    }
}
