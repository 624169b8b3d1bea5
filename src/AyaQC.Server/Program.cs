using AyaQC.Server.Hosting;

// AyaQC server: qualification rounds over REST (/api/v1, OpenAPI at /openapi/v1.json).
// Features: storage (SQLite or PostgreSQL), bearer-token roles (admin / assessor), problem details,
// gold sets, assessors, rounds and results, assessor work (next item, answers); an Orleans silo owns the live state.
var builder = WebApplication.CreateBuilder(args);
builder.AddAyaQCServices();
builder.AddOrleansSilo();

var app = builder.Build();
app.MapAyaQCEndpoints();
app.Run();

public partial class Program;
