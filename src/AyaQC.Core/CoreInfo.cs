namespace AyaQC.Core; public static class CoreInfo { public const string Name = "AyaQC.Core"; }
