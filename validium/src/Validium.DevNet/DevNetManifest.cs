using System.Text.Json;
using System.Text.Json.Serialization;
using Validium.Crypto;
using Validium.Exchange;
using Validium.L1.Keys;

namespace Validium.DevNet;

/// <summary>
/// devnet.json: everything a node (or a simulated trader) needs to join a running devnet. Paths are relative to the
/// manifest's directory (<see cref="Resolve"/>); keys are V3 keystores opened with the password in <see cref="PasswordFile"/>.
/// </summary>
public sealed record DevNetManifest
{
    public const string FileName = "devnet.json";
    public const int CurrentVersion = 1;

    public required int Version { get; init; }
    public required string Rpc { get; init; }
    public required long ChainId { get; init; }
    public required int AnvilPort { get; init; }
    /// <summary>Relative path of anvil's state file (the chain between runs).</summary>
    public required string AnvilState { get; init; }
    /// <summary>Shared by every keystore of this devnet (a development chain's throwaway keys).</summary>
    public required string PasswordFile { get; init; }
    public required ManifestContracts Contracts { get; init; }
    /// <summary>Owner of the contracts, the key that posts batches and signs DAC submissions as the sequencer.</summary>
    public required ManifestKey Operator { get; init; }
    public required ManifestCommittee Committee { get; init; }
    public required ManifestOracle Oracle { get; init; }
    /// <summary>The batcher's data directory (BatchStore: circuit.json, circuit.zkey, verification_key.json).</summary>
    public required string BatcherDir { get; init; }
    /// <summary>In listing order: instrument i of the engine is instrument i of the circuit and the oracle.</summary>
    public required ManifestInstrument[] Instruments { get; init; }
    public required ManifestTraders Traders { get; init; }
    public required long ForcedDelaySeconds { get; init; }
    public required long TimelockDelaySeconds { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    /// <summary>The manifest of the devnet in <paramref name="directory"/>, or null when there is none yet.</summary>
    public static DevNetManifest? TryRead(string directory)
    {
        var path = Path.Combine(directory, FileName);
        return File.Exists(path) ? Read(path) : null;
    }

    /// <summary>Reads and checks a manifest; a damaged or foreign file is an InvalidDataException naming it.</summary>
    public static DevNetManifest Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"devnet manifest {path} does not exist", path);
        DevNetManifest? m;
        try
        {
            m = JsonSerializer.Deserialize<DevNetManifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a devnet manifest: {e.Message}", e);
        }
        if (m is null) throw new InvalidDataException($"{path}: not a devnet manifest: it holds null");
        if (m.Version != CurrentVersion) throw new InvalidDataException($"{path}: manifest version {m.Version}, this build reads {CurrentVersion}");
        if (m.Committee.Members.Length == 0 || m.Committee.Threshold < 1 || m.Committee.Threshold > m.Committee.Members.Length)
            throw new InvalidDataException($"{path}: committee threshold {m.Committee.Threshold} of {m.Committee.Members.Length} members");
        if (m.Instruments.Length == 0) throw new InvalidDataException($"{path}: no instruments");
        return m with { Directory = Path.GetDirectoryName(Path.GetFullPath(path))! };
    }

    /// <summary>The directory the manifest was read from or written to; relative paths resolve against it.</summary>
    [JsonIgnore]
    public string Directory { get; init; } = "";

    public string Resolve(string relative) => Path.GetFullPath(relative, Directory);

    public Uri RpcUrl => new(Rpc);

    /// <summary>Opens one of the manifest's keystores (operator, reporter, faucet) with the devnet's password file.</summary>
    public Secp256k1PrivateKey OpenKey(ManifestKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            return Keystore.DecryptFile(Resolve(key.Keystore), File.ReadAllText(Resolve(PasswordFile)).TrimEnd('\r', '\n'));
        }
        catch (KeystoreException e)
        {
            throw new InvalidDataException($"{key.Keystore}: {e.Message}", e);
        }
    }

    /// <summary>Written whole or not at all (temp file, then rename).</summary>
    public void Write(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var tmp = path + ".tmp";
        File.WriteAllBytes(tmp, JsonSerializer.SerializeToUtf8Bytes(this, Json));
        File.Move(tmp, path, overwrite: true);
    }
}

public sealed record ManifestKey(string Address, string Keystore);

/// <param name="DeploymentBlock">A block at or before Validium's deployment: where event scans start.</param>
public sealed record ManifestContracts(
    string Validium, string Verifier, string Oracle, string Token, bool TestToken,
    string Poseidon3, string Poseidon4, string Poseidon5, string Poseidon6, string Eddsa, long DeploymentBlock);

/// <summary>A member: its address, API URL and the config `vld dac member --config` runs it from.</summary>
public sealed record ManifestMember(int Index, string Address, string Url, string Config);

public sealed record ManifestCommittee(int Threshold, ManifestMember[] Members);

/// <summary>
/// The oracle feed: reporters (the contract's signer set), the account paying for the updates, the interval and the
/// seed of the random-walk price path. Prices on L1 are per lot: price ticks × cash per tick-lot.
/// </summary>
public sealed record ManifestOracle(int Threshold, ManifestKey[] Reporters, ManifestKey Submitter, double IntervalSeconds, ulong PriceSeed);

/// <summary>An instrument as the node's exchange lists it, and its starting index price (raw price units).</summary>
public sealed record ManifestInstrument(string Symbol, InstrumentSpec Spec, long InitialPrice);

/// <summary>
/// How simulated traders get money: the collateral token (a TestToken anyone may mint when <see cref="TokenMintable"/>)
/// and a faucet account holding test ether for gas.
/// </summary>
public sealed record ManifestTraders(string Token, bool TokenMintable, ManifestKey Faucet);
