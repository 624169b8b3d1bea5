using System.Text.Json;
using System.Text.Json.Serialization;

namespace AyaQC.Contracts;

/// <summary>Compile-time JSON metadata for the API's shapes (less work per request than reflection), camelCase.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(FieldProblem))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(GoldSetResponse))]
[JsonSerializable(typeof(List<GoldSetResponse>))]
[JsonSerializable(typeof(RegisterAssessorsRequest))]
[JsonSerializable(typeof(RegisterAssessorsResponse))]
[JsonSerializable(typeof(List<AssessorResponse>))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(AssessorStatusResponse))]
[JsonSerializable(typeof(SkillRequest))]
[JsonSerializable(typeof(OpenRoundRequest))]
[JsonSerializable(typeof(RoundResponse))]
[JsonSerializable(typeof(List<RoundResponse>))]
[JsonSerializable(typeof(RoundResultsResponse))]
[JsonSerializable(typeof(MeResponse))]
[JsonSerializable(typeof(List<MyRoundResponse>))]
[JsonSerializable(typeof(NextItemResponse))]
[JsonSerializable(typeof(AnswerRequest))]
[JsonSerializable(typeof(AnswerResponse))]
public sealed partial class QualificationJsonContext : JsonSerializerContext;
