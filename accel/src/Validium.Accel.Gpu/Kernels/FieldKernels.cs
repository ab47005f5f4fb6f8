using ILGPU;

namespace Validium.Accel.Gpu;

/// <summary>Element-wise field operations selected by <see cref="FieldOp"/>, so a device can be checked against the reference.</summary>
internal enum FieldOp
{
    Add = 0,
    Sub = 1,
    Mul = 2,
}

/// <summary>Conformance kernels: the building blocks every other kernel relies on, exposed one operation at a time.</summary>
internal static class FieldKernels
{
    public static void FpBinary(Index1D i, ArrayView<Limbs8> a, ArrayView<Limbs8> b, ArrayView<Limbs8> result, int op)
    {
        result[i] = op == (int)FieldOp.Add ? FpDevice.Add(a[i], b[i])
            : op == (int)FieldOp.Sub ? FpDevice.Sub(a[i], b[i])
            : FpDevice.Mul(a[i], b[i]);
    }

    public static void FrBinary(Index1D i, ArrayView<Limbs8> a, ArrayView<Limbs8> b, ArrayView<Limbs8> result, int op)
    {
        result[i] = op == (int)FieldOp.Add ? FrDevice.Add(a[i], b[i])
            : op == (int)FieldOp.Sub ? FrDevice.Sub(a[i], b[i])
            : FrDevice.Mul(a[i], b[i]);
    }
}
