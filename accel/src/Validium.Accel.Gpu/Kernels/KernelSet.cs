using System.Reflection;
using ILGPU;
using ILGPU.Runtime;

namespace Validium.Accel.Gpu;

/// <summary>
/// Every kernel compiled once for one accelerator. Loading is the expensive step (IL → IR → PTX/OpenCL C),
/// so a backend builds this once and keeps it for its lifetime.
/// </summary>
internal sealed class KernelSet
{
    public Action<Index1D, ArrayView<Limbs8>, ArrayView<Limbs8>, ArrayView<Limbs8>, int> FpBinary { get; }
    public Action<Index1D, ArrayView<Limbs8>, ArrayView<Limbs8>, ArrayView<Limbs8>, int> FrBinary { get; }
    public Action<Index1D, ArrayView<G1AffineLimbs>, ArrayView<int>, ArrayView<int>, ArrayView<G1JacobianLimbs>> AccumulateRuns { get; }
    public Action<Index1D, ArrayView<G1JacobianLimbs>, ArrayView<int>, ArrayView<G1JacobianLimbs>> SumRuns { get; }
    public Action<Index1D, ArrayView<G1JacobianLimbs>, ArrayView<G1JacobianLimbs>, int, int, int> ReduceBucketSegments { get; }
    public Action<Index1D, ArrayView<Limbs8>, ArrayView<Limbs8>, int> BitReverse { get; }
    public Action<Index1D, ArrayView<Limbs8>, ArrayView<Limbs8>, int, int> Butterfly { get; }
    public Action<Index1D, ArrayView<Limbs8>, ArrayView<Limbs8>, Limbs8, int> ScaleByPowers { get; }
    public Action<Index1D, ArrayView<Limbs8>, ArrayView<Limbs8>, ArrayView<Limbs8>, ArrayView<Limbs8>, ArrayView<Limbs8>, ArrayView<Limbs8>, PoseidonShape> PoseidonPermute { get; }

    public KernelSet(Accelerator a)
    {
        FpBinary = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<Limbs8>, ArrayView<Limbs8>, ArrayView<Limbs8>, int>(FieldKernels.FpBinary);
        FrBinary = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<Limbs8>, ArrayView<Limbs8>, ArrayView<Limbs8>, int>(FieldKernels.FrBinary);
        AccumulateRuns = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<G1AffineLimbs>, ArrayView<int>, ArrayView<int>, ArrayView<G1JacobianLimbs>>(MsmKernels.AccumulateRuns);
        SumRuns = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<G1JacobianLimbs>, ArrayView<int>, ArrayView<G1JacobianLimbs>>(MsmKernels.SumRuns);
        ReduceBucketSegments = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<G1JacobianLimbs>, ArrayView<G1JacobianLimbs>, int, int, int>(MsmKernels.ReduceBucketSegments);
        BitReverse = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<Limbs8>, ArrayView<Limbs8>, int>(NttKernels.BitReverse);
        Butterfly = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<Limbs8>, ArrayView<Limbs8>, int, int>(NttKernels.Butterfly);
        ScaleByPowers = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<Limbs8>, ArrayView<Limbs8>, Limbs8, int>(NttKernels.ScaleByPowers);
        PoseidonPermute = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<Limbs8>, ArrayView<Limbs8>, ArrayView<Limbs8>, ArrayView<Limbs8>, ArrayView<Limbs8>, ArrayView<Limbs8>, PoseidonShape>(PoseidonKernels.Permute);
    }

    /// <summary>Every kernel entry point: the public static methods of the kernel classes whose first parameter is the thread index.</summary>
    public static IReadOnlyList<MethodInfo> Catalog { get; } =
        new[] { typeof(FieldKernels), typeof(MsmKernels), typeof(NttKernels), typeof(PoseidonKernels) }
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m.GetParameters() is [{ ParameterType: var p }, ..] && p == typeof(Index1D))
            .ToArray();
}
