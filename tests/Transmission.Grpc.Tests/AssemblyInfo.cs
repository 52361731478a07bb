namespace Transmission.Grpc.Tests;
