using System.Numerics;
using Validium.Crypto;
using Validium.DevNet;
using Validium.L1.Abi;
using Validium.L1.Contracts;
using Validium.L1.Rpc;
using Validium.L1.Transactions;

namespace Validium.Demo;

/// <summary>The L1 transactions that funded one trader, kept for the summary's gas figures.</summary>
public sealed record TraderFunding(EthereumAddress Address, ulong Amount, TransactionReceipt Gas, TransactionReceipt Mint, TransactionReceipt Approve, TransactionReceipt Deposit);

/// <summary>
/// Puts a simulated trader's money on the exchange the way a real one would: test ether for gas from the devnet's
/// faucet, then mint, approve and deposit on the contract with the trader's own L1 key, crediting its EdDSA key.
/// </summary>
public sealed class L1Funding(EthClient eth, DevNetManifest manifest)
{
    internal static readonly ContractAbi Abi = ContractAbi.Parse("""
        [
          {"type":"function","name":"mint","stateMutability":"nonpayable","inputs":[{"name":"to","type":"address"},{"name":"amount","type":"uint256"}],"outputs":[]},
          {"type":"function","name":"approve","stateMutability":"nonpayable","inputs":[{"name":"spender","type":"address"},{"name":"amount","type":"uint256"}],"outputs":[{"name":"","type":"bool"}]},
          {"type":"function","name":"balanceOf","stateMutability":"view","inputs":[{"name":"who","type":"address"}],"outputs":[{"name":"","type":"uint256"}]},
          {"type":"function","name":"deposit","stateMutability":"nonpayable","inputs":[{"name":"amount","type":"uint64"},{"name":"ax","type":"uint256"},{"name":"ay","type":"uint256"}],"outputs":[]}
        ]
        """);

    /// <summary>Gas money per trader: a few hundred transactions at devnet fees.</summary>
    public static readonly BigInteger GasMoney = BigInteger.Pow(10, 17);

    private EthereumAddress Token => EthereumAddress.Parse(manifest.Traders.Token);
    private EthereumAddress Validium => EthereumAddress.Parse(manifest.Contracts.Validium);

    public async Task<TraderFunding> FundAsync(TransactionSender faucet, TransactionSender trader, BabyJubjubPoint l2Key, ulong amount, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(faucet);
        ArgumentNullException.ThrowIfNull(trader);
        if (amount == 0) throw new ArgumentOutOfRangeException(nameof(amount), amount, "a deposit must be positive");
        if (!manifest.Traders.TokenMintable)
            throw new InvalidOperationException($"the devnet's collateral token {manifest.Traders.Token} is not a mintable TestToken: simulated traders cannot be funded");
        var gas = await Succeeded("gas money", faucet.SendAndWaitAsync(new TransactionRequest(trader.Address, [], GasMoney), ct)).ConfigureAwait(false);
        var token = new Contract(eth, Abi, Token);
        var validium = new Contract(eth, Abi, Validium);
        var mint = await Succeeded("mint", token.SendAsync(trader, "mint", [trader.Address, (BigInteger)amount], ct: ct)).ConfigureAwait(false);
        var approve = await Succeeded("approve", token.SendAsync(trader, "approve", [Validium, (BigInteger)amount], ct: ct)).ConfigureAwait(false);
        var deposit = await Succeeded("deposit", validium.SendAsync(trader, "deposit", [amount, l2Key.X.ToBigInteger(), l2Key.Y.ToBigInteger()], ct: ct)).ConfigureAwait(false);
        return new TraderFunding(trader.Address, amount, gas, mint, approve, deposit);
    }

    /// <summary>
    /// A sender for <paramref name="key"/> whose nonces persist under <paramref name="nonceDir"/>, so a demo run on a
    /// reused devnet directory carries on from the chain's nonces instead of colliding with them.
    /// </summary>
    public static async Task<TransactionSender> SenderAsync(string nonceDir, EthClient eth, Secp256k1PrivateKey key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        Directory.CreateDirectory(nonceDir);
        var nonces = await NonceManager.OpenAsync(Path.Combine(nonceDir, key.Address + ".json"), eth, key.Address, ct: ct).ConfigureAwait(false);
        return new TransactionSender(eth, key, nonces, new TransactionSenderOptions { PollInterval = TimeSpan.FromMilliseconds(100), PriorityFeePerGas = 1_000_000_000 });
    }

    public async Task<BigInteger> TokenBalanceAsync(EthereumAddress who) => (BigInteger)(await new Contract(eth, Abi, Token).CallSingleAsync("balanceOf", who).ConfigureAwait(false))!;

    private static async Task<TransactionReceipt> Succeeded(string what, Task<TransactionReceipt> send)
    {
        var receipt = await send.ConfigureAwait(false);
        if (!receipt.Succeeded) throw new InvalidOperationException($"{what} transaction {Convert.ToHexString(receipt.TransactionHash)} reverted");
        return receipt;
    }
}
