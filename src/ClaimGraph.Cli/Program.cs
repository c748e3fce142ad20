using System.Text;
using ClaimGraph.Cli;

// UTF-8 without a byte order mark out; standard input is read as bytes, as strict UTF-8 like every file (a byte order
// mark skipped). Output is buffered and flushed at the end (and after every answer when the batch reads standard
// input, so a driver can converse line by line).
var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
using Stream stdin = Console.OpenStandardInput();
using var stdout = new StreamWriter(Console.OpenStandardOutput(), utf8) { AutoFlush = false };
using var stderr = new StreamWriter(Console.OpenStandardError(), utf8) { AutoFlush = true };
return CliApp.RunWithStdinBytes(args, stdin, stdout, stderr);
