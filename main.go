// Command shenbao takes in, reads and checks the application materials for recognition as a
// 西藏自治区中小企业公共服务示范平台.
//
//	shenbao serve                 run the service (embedded stores under ./data unless MinIO/MongoDB are configured)
//	shenbao worker                read documents without HTTP, beside serve processes on the same MinIO and MongoDB
//	shenbao extract [--json] FILE…  read files and print their kind and fields, one JSON line each
//	shenbao check [--json] DIR…    evaluate folders of files (one application each) and print their checklists
//	shenbao user add|passwd|list   manage accounts (the first staff account is made this way)
//	shenbao verify [--json]        check the log's hash chain, its anchors and every original
//	shenbao scrub [--json]         re-hash every original in the blob store; list missing or corrupt ones
//
// Configuration is by environment variables, each with a flag of the same name in lower case without the
// SHENBAO_ prefix (see config.go and README.md).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `usage: shenbao <command> [flags]

commands:
  serve     run the service (HTTP API and web UI; it reads documents too unless --api-only)
  worker    read documents, without HTTP, beside serve processes sharing MinIO and MongoDB
  extract   read files and print their kind and fields as JSON lines
  check     evaluate application folders and print their checklists as JSON lines
  user      add accounts, set passwords, list accounts (run "shenbao user" for usage)
  verify    check the archive: the log's hash chain and anchors, every original's SHA-256
  scrub     re-hash every original in the blob store and list the missing or corrupt ones

run "shenbao <command> -h" for a command's flags.
`

// run is the whole program, testable: it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "serve":
		return cmdServe(ctx, args[1:], stdout, stderr)
	case "extract":
		return cmdExtract(ctx, args[1:], stdout, stderr)
	case "check":
		return cmdCheck(ctx, args[1:], stdout, stderr)
	case "verify":
		return cmdVerify(ctx, args[1:], stdout, stderr)
	case "scrub":
		return cmdScrub(ctx, args[1:], stdout, stderr)
	case "user":
		return cmdUser(ctx, args[1:], os.Stdin, stdout, stderr)
	case "worker":
		return cmdWorker(ctx, args[1:], stderr)
	case workerCommand:
		return cmdOCRWorker(args[1:], stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "shenbao: unknown command %q\n\n%s", args[0], usage)
	return 2
}
