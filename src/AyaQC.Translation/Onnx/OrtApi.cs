using System.Runtime.InteropServices;

namespace AyaQC.Translation.Onnx;

/// <summary>ONNX Runtime's error, carrying ORT's own error code and message.</summary>
public sealed class OrtException(int errorCode, string message) : Exception(message)
{
    /// <summary>OrtErrorCode: 1 FAIL, 2 INVALID_ARGUMENT, 3 NO_SUCHFILE, 4 NO_MODEL, ...</summary>
    public int ErrorCode { get; } = errorCode;
}

/// <summary>The OrtApi function table: a struct of function pointers whose slot indices are fixed (ORT only appends
/// members). Indices were taken from the ORT 1.29 header (ORT_API_VERSION 29) and checked against the 1.30.0 runtime;
/// only the calls AyaQC uses are bound. Every ORT_API2_STATUS call returns an OrtStatus*, NULL meaning success.</summary>
internal sealed unsafe class OrtApi
{
    public const uint ApiVersion = 29;

    // Element types (ONNXTensorElementDataType) and enums used here.
    public const int Float = 1, Int64 = 7, Bool = 9;
    const int LoggingWarning = 2, ArenaAllocator = 1, MemTypeDefault = 0;

    readonly nint* _f;
    public string RuntimeVersion { get; }
    public string LibraryPath { get; }

    OrtApi(nint* table, string version, string path)
    {
        _f = table;
        RuntimeVersion = version;
        LibraryPath = path;
    }

    static OrtApi? _instance;
    static readonly Lock Gate = new();

    /// <summary>The process-wide API, loading the native library on first use (see <see cref="OrtLibrary"/>).</summary>
    public static OrtApi Instance => _instance ?? Load(null);

    public static OrtApi Load(string? explicitPath)
    {
        lock (Gate)
        {
            if (_instance != null)
            {
                if (explicitPath != null && Path.GetFullPath(explicitPath) != _instance.LibraryPath)
                    throw new InvalidOperationException(
                        $"ONNX Runtime is already loaded from {_instance.LibraryPath}; one process uses one runtime (asked for {explicitPath})");
                return _instance;
            }
            var (handle, path) = OrtLibrary.Open(explicitPath);
            var getBase = (delegate* unmanaged<nint*>)NativeLibrary.GetExport(handle, "OrtGetApiBase");
            var apiBase = getBase();
            var version = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint>)apiBase[1])()) ?? "?";
            var table = ((delegate* unmanaged<uint, nint*>)apiBase[0])(ApiVersion);
            if (table == null)
                throw new InvalidOperationException(
                    $"ONNX Runtime {version} at {path} does not offer API version {ApiVersion}; AyaQC needs ONNX Runtime 1.29 or newer");
            return _instance = new OrtApi(table, version, path);
        }
    }

    public void Check(nint status)
    {
        if (status == 0) return;
        var code = ((delegate* unmanaged<nint, int>)_f[1])(status);
        var message = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint, nint>)_f[2])(status)) ?? "(no message)";
        ((delegate* unmanaged<nint, void>)_f[93])(status);
        throw new OrtException(code, message);
    }

    // ---- environment, options, sessions
    public nint CreateEnv(string logId)
    {
        nint env;
        var id = Utf8(logId);
        fixed (byte* p = id) Check(((delegate* unmanaged<int, byte*, nint*, nint>)_f[3])(LoggingWarning, p, &env));
        return env;
    }

    public nint CreateSessionOptions()
    {
        nint o;
        Check(((delegate* unmanaged<nint*, nint>)_f[10])(&o));
        return o;
    }

    public void SetGraphOptimizationLevel(OrtSessionOptionsHandle o, int level) =>
        Check(((delegate* unmanaged<nint, int, nint>)_f[23])(o.DangerousGetHandle(), level));

    public void SetIntraOpNumThreads(OrtSessionOptionsHandle o, int n) =>
        Check(((delegate* unmanaged<nint, int, nint>)_f[24])(o.DangerousGetHandle(), n));

    public void SetInterOpNumThreads(OrtSessionOptionsHandle o, int n) =>
        Check(((delegate* unmanaged<nint, int, nint>)_f[25])(o.DangerousGetHandle(), n));

    public nint CreateSession(OrtEnvHandle env, string modelPath, OrtSessionOptionsHandle o)
    {
        nint s;
        var path = Utf8(modelPath); // ORTCHAR_T is UTF-8 char on Linux
        fixed (byte* p = path)
            Check(((delegate* unmanaged<nint, byte*, nint, nint*, nint>)_f[7])(env.DangerousGetHandle(), p, o.DangerousGetHandle(), &s));
        return s;
    }

    public nint CreateSessionFromArray(OrtEnvHandle env, ReadOnlySpan<byte> model, OrtSessionOptionsHandle o)
    {
        using var timer = OrtCallTimer.Start();
        nint s;
        fixed (byte* p = model)
            Check(((delegate* unmanaged<nint, byte*, nuint, nint, nint*, nint>)_f[8])(env.DangerousGetHandle(), p, (nuint)model.Length, o.DangerousGetHandle(), &s));
        return s;
    }

    public void Run(OrtSessionHandle s, byte** inNames, nint* inValues, int inCount, byte** outNames, int outCount, nint* outValues)
    {
        using var timer = OrtCallTimer.Start();
        Check(((delegate* unmanaged<nint, nint, byte**, nint*, nuint, byte**, nuint, nint*, nint>)_f[9])(
            s.DangerousGetHandle(), 0, inNames, inValues, (nuint)inCount, outNames, (nuint)outCount, outValues));
    }

    public int SessionInputCount(OrtSessionHandle s) => Count(s, 30);
    public int SessionOutputCount(OrtSessionHandle s) => Count(s, 31);

    int Count(OrtSessionHandle s, int slot)
    {
        nuint n;
        Check(((delegate* unmanaged<nint, nuint*, nint>)_f[slot])(s.DangerousGetHandle(), &n));
        return (int)n;
    }

    public string SessionInputName(OrtSessionHandle s, int i) => Name(s, i, 36);
    public string SessionOutputName(OrtSessionHandle s, int i) => Name(s, i, 37);

    string Name(OrtSessionHandle s, int i, int slot)
    {
        byte* name;
        var allocator = DefaultAllocator;
        Check(((delegate* unmanaged<nint, nuint, nint, byte**, nint>)_f[slot])(s.DangerousGetHandle(), (nuint)i, allocator, &name));
        try { return Marshal.PtrToStringUTF8((nint)name) ?? ""; }
        finally { AllocatorFree(allocator, name); }
    }

    /// <summary>Element type and dims of a session input (slot 33) or output (slot 34); -1 marks a symbolic dim.</summary>
    public TensorSpec SessionTensorSpec(OrtSessionHandle s, int i, bool output, string name)
    {
        nint typeInfo;
        Check(((delegate* unmanaged<nint, nuint, nint*, nint>)_f[output ? 34 : 33])(s.DangerousGetHandle(), (nuint)i, &typeInfo));
        using var owned = new OrtTypeInfoHandle(typeInfo);
        nint tensorInfo; // owned by the type info
        Check(((delegate* unmanaged<nint, nint*, nint>)_f[55])(typeInfo, &tensorInfo));
        if (tensorInfo == 0) return new TensorSpec(name, 0, [], []);
        var (type, dims) = TypeAndDims(tensorInfo);
        var symbolic = new nint[dims.Length];
        fixed (nint* p = symbolic)
            Check(((delegate* unmanaged<nint, nint*, nuint, nint>)_f[63])(tensorInfo, p, (nuint)dims.Length));
        // The strings belong to the type info: copy them now.
        var names = new string[dims.Length];
        for (var k = 0; k < names.Length; k++) names[k] = Marshal.PtrToStringUTF8(symbolic[k]) ?? "";
        return new TensorSpec(name, type, dims, names);
    }

    (int type, long[] dims) TypeAndDims(nint tensorInfo)
    {
        int type;
        Check(((delegate* unmanaged<nint, int*, nint>)_f[60])(tensorInfo, &type));
        nuint rank;
        Check(((delegate* unmanaged<nint, nuint*, nint>)_f[61])(tensorInfo, &rank));
        var dims = new long[(int)rank];
        fixed (long* d = dims) Check(((delegate* unmanaged<nint, long*, nuint, nint>)_f[62])(tensorInfo, d, rank));
        return (type, dims);
    }

    // ---- values
    public nint CreateTensor(ReadOnlySpan<long> shape, int elementType)
    {
        using var timer = OrtCallTimer.Start();
        nint value;
        fixed (long* s = shape)
            Check(((delegate* unmanaged<nint, long*, nuint, int, nint*, nint>)_f[48])(DefaultAllocator, s, (nuint)shape.Length, elementType, &value));
        return value;
    }

    public void* TensorData(nint value)
    {
        using var timer = OrtCallTimer.Start();
        void* data;
        Check(((delegate* unmanaged<nint, void**, nint>)_f[51])(value, &data));
        return data;
    }

    public (int type, long[] dims) ValueTypeAndShape(nint value)
    {
        using var timer = OrtCallTimer.Start();
        nint info;
        Check(((delegate* unmanaged<nint, nint*, nint>)_f[65])(value, &info));
        try { return TypeAndDims(info); }
        finally { ((delegate* unmanaged<nint, void>)_f[99])(info); }
    }

    // ---- memory
    nint _defaultAllocator;

    public nint DefaultAllocator
    {
        get
        {
            if (_defaultAllocator != 0) return _defaultAllocator;
            nint a;
            Check(((delegate* unmanaged<nint*, nint>)_f[78])(&a));
            return _defaultAllocator = a; // owned by ORT, never released
        }
    }

    public void AllocatorFree(nint allocator, void* p) =>
        Check(((delegate* unmanaged<nint, void*, nint>)_f[76])(allocator, p));

    public nint CreateCpuMemoryInfo()
    {
        nint m;
        Check(((delegate* unmanaged<int, int, nint*, nint>)_f[69])(ArenaAllocator, MemTypeDefault, &m));
        return m;
    }

    /// <summary>Memory info for a named device allocator, e.g. "Cuda" with the device id.</summary>
    public nint CreateMemoryInfo(string name, int deviceId)
    {
        nint m;
        var n = Utf8(name);
        fixed (byte* p = n)
            Check(((delegate* unmanaged<byte*, int, int, int, nint*, nint>)_f[68])(p, ArenaAllocator, deviceId, MemTypeDefault, &m));
        return m;
    }

    // ---- execution providers
    public string[] AvailableProviders()
    {
        byte** list;
        int n;
        Check(((delegate* unmanaged<byte***, int*, nint>)_f[125])(&list, &n));
        try
        {
            var names = new string[n];
            for (var i = 0; i < n; i++) names[i] = Marshal.PtrToStringUTF8((nint)list[i]) ?? "";
            return names;
        }
        finally { Check(((delegate* unmanaged<byte**, int, nint>)_f[126])(list, n)); }
    }

    /// <summary>Appends the CUDA execution provider through the V2 options (device_id and further key/values).</summary>
    public void AppendCudaProvider(OrtSessionOptionsHandle o, IReadOnlyDictionary<string, string> options)
    {
        nint cuda;
        Check(((delegate* unmanaged<nint*, nint>)_f[205])(&cuda));
        using var owned = new OrtCudaOptionsHandle(cuda);
        var keys = options.Keys.Select(Utf8Pinned).ToArray();
        var values = options.Values.Select(Utf8Pinned).ToArray();
        try
        {
            var k = stackalloc byte*[keys.Length];
            var v = stackalloc byte*[values.Length];
            for (var i = 0; i < keys.Length; i++) { k[i] = (byte*)keys[i]; v[i] = (byte*)values[i]; }
            Check(((delegate* unmanaged<nint, byte**, byte**, nuint, nint>)_f[206])(cuda, k, v, (nuint)keys.Length));
            Check(((delegate* unmanaged<nint, nint, nint>)_f[204])(o.DangerousGetHandle(), cuda));
        }
        finally
        {
            foreach (var p in keys.Concat(values)) Marshal.FreeCoTaskMem(p);
        }
    }

    // ---- IoBinding (keeps outputs where they were produced: the KV cache stays on the GPU between steps)
    public nint CreateIoBinding(OrtSessionHandle s)
    {
        using var timer = OrtCallTimer.Start();
        nint b;
        Check(((delegate* unmanaged<nint, nint*, nint>)_f[134])(s.DangerousGetHandle(), &b));
        return b;
    }

    public void BindInput(OrtIoBindingHandle b, byte* name, OrtValue value)
    {
        using var timer = OrtCallTimer.Start();
        Check(((delegate* unmanaged<nint, byte*, nint, nint>)_f[136])(b.DangerousGetHandle(), name, value.Handle.DangerousGetHandle()));
    }

    public void BindOutputToDevice(OrtIoBindingHandle b, byte* name, OrtMemoryInfoHandle memory)
    {
        using var timer = OrtCallTimer.Start();
        Check(((delegate* unmanaged<nint, byte*, nint, nint>)_f[138])(b.DangerousGetHandle(), name, memory.DangerousGetHandle()));
    }

    public void RunWithBinding(OrtSessionHandle s, OrtIoBindingHandle b)
    {
        using var timer = OrtCallTimer.Start();
        Check(((delegate* unmanaged<nint, nint, nint, nint>)_f[133])(s.DangerousGetHandle(), 0, b.DangerousGetHandle()));
    }

    public nint[] BoundOutputValues(OrtIoBindingHandle b)
    {
        using var timer = OrtCallTimer.Start();
        nint* values;
        nuint count;
        var allocator = DefaultAllocator;
        Check(((delegate* unmanaged<nint, nint, nint**, nuint*, nint>)_f[140])(b.DangerousGetHandle(), allocator, &values, &count));
        if (values == null) return [];
        try { return new ReadOnlySpan<nint>(values, (int)count).ToArray(); }
        finally { AllocatorFree(allocator, values); }
    }

    public void ClearBindings(OrtIoBindingHandle b)
    {
        using var timer = OrtCallTimer.Start();
        ((delegate* unmanaged<nint, void>)_f[141])(b.DangerousGetHandle());
        ((delegate* unmanaged<nint, void>)_f[142])(b.DangerousGetHandle());
    }

    public string BuildInfo() => Marshal.PtrToStringUTF8(((delegate* unmanaged<nint>)_f[254])()) ?? "";

    // ---- releases (void functions), called by the SafeHandles
    public void Release(int slot, nint handle)
    {
        using var timer = OrtCallTimer.Start();
        ((delegate* unmanaged<nint, void>)_f[slot])(handle);
    }
    public void ReleaseCudaOptions(nint handle) => ((delegate* unmanaged<nint, void>)_f[208])(handle);

    public static byte[] Utf8(string s) => System.Text.Encoding.UTF8.GetBytes(s + "\0");
    static nint Utf8Pinned(string s) => Marshal.StringToCoTaskMemUTF8(s);
}

/// <summary>Adds the time of one ORT call to <see cref="OrtRuntime.TicksInOrt"/> (what the benchmark counts as inside
/// ONNX Runtime: runs, bindings, tensor creation and release).</summary>
internal readonly struct OrtCallTimer : IDisposable
{
    readonly long _start;
    OrtCallTimer(long start) => _start = start;
    public static OrtCallTimer Start() => new(System.Diagnostics.Stopwatch.GetTimestamp());
    public void Dispose() => OrtRuntime.AddOrtTicks(System.Diagnostics.Stopwatch.GetTimestamp() - _start);
}

/// <summary>A model input or output: name, ONNX element type and dims (-1 where symbolic, with the symbol's name).</summary>
public sealed record TensorSpec(string Name, int ElementType, long[] Dims, string[] SymbolicDims);
