using System.Runtime.InteropServices;

namespace AyaQC.Translation.Onnx;

/// <summary>An ORT object released through its OrtApi Release slot when the handle is disposed or finalised.</summary>
public abstract class OrtSafeHandle : SafeHandle
{
    readonly int _releaseSlot;

    protected OrtSafeHandle(nint handle, int releaseSlot) : base(0, ownsHandle: true)
    {
        _releaseSlot = releaseSlot;
        SetHandle(handle);
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.Release(_releaseSlot, handle);
        return true;
    }
}

public sealed class OrtEnvHandle(nint h) : OrtSafeHandle(h, 92);
public sealed class OrtMemoryInfoHandle(nint h) : OrtSafeHandle(h, 94);
public sealed class OrtSessionHandle(nint h) : OrtSafeHandle(h, 95);
public sealed class OrtValueHandle(nint h) : OrtSafeHandle(h, 96);
public sealed class OrtTypeInfoHandle(nint h) : OrtSafeHandle(h, 98);
public sealed class OrtSessionOptionsHandle(nint h) : OrtSafeHandle(h, 100);
public sealed class OrtIoBindingHandle(nint h) : OrtSafeHandle(h, 135);

public sealed class OrtCudaOptionsHandle : SafeHandle
{
    public OrtCudaOptionsHandle(nint h) : base(0, true) => SetHandle(h);
    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseCudaOptions(handle);
        return true;
    }
}
