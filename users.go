package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"shenbao/intake"
)

const userUsage = `usage:
  shenbao user add --login LOGIN --name NAME --role ROLE [--region REGION] [--password-stdin]
  shenbao user passwd --login LOGIN [--password-stdin]
  shenbao user list

ROLE is applicant, recommender, expert, staff or auditor; a recommender needs --region (its 地市 or 园区).
Without --password-stdin a random password is made and printed once. The command opens the configured
stores (the same flags and environment as serve); the embedded store can be opened by one process at a
time, so stop the service first, or, while it runs, manage accounts in its UI as staff.
`

// cmdUser manages local accounts from the command line: this is how the first staff account is made.
// There is no default account or password anywhere.
func cmdUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "add" && args[0] != "passwd" && args[0] != "list") {
		fmt.Fprint(stderr, userUsage)
		return 2
	}
	var login, name, role, region string
	var fromStdin bool
	c, _, err := parseConfig("user "+args[0], args[1:], stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&login, "login", "", "login name")
		fs.StringVar(&name, "name", "", "the person's or organisation's name")
		fs.StringVar(&role, "role", "", "applicant, recommender, expert, staff or auditor")
		fs.StringVar(&region, "region", "", "a recommender's 地市 or 园区")
		fs.BoolVar(&fromStdin, "password-stdin", false, "read the password from the first line of standard input")
	})
	if err != nil {
		return 2
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	blobs, store, err := openStores(ctx, c, log)
	if err != nil {
		fmt.Fprintln(stderr, "shenbao user:", err)
		return 1
	}
	defer store.Close(context.WithoutCancel(ctx))
	svc := intake.NewService(blobs, store, nil, log, clock, intake.Config{})
	if args[0] == "list" {
		users, _, err := svc.Users(ctx, intake.System, intake.ListOptions{Limit: 200})
		if err != nil {
			fmt.Fprintln(stderr, "shenbao user list:", err)
			return 1
		}
		for _, u := range users {
			state := ""
			if u.Disabled {
				state = " (停用)"
			}
			fmt.Fprintf(stdout, "%s\t%s\t%s\t%s%s\n", u.Login, u.Role, u.Name, u.Region, state)
		}
		return 0
	}
	password, generated := "", false
	if fromStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && line == "" {
			fmt.Fprintln(stderr, "shenbao user: no password on standard input")
			return 2
		}
		password = strings.TrimRight(line, "\r\n")
	} else {
		password, generated = newPassword(), true
	}
	switch args[0] {
	case "add":
		u, err := svc.AddUser(ctx, intake.System, intake.NewUser{Login: login, Name: name, Role: intake.Role(role), Region: region, Password: password})
		if err != nil {
			fmt.Fprintln(stderr, "shenbao user add:", message(err))
			return 1
		}
		fmt.Fprintf(stdout, "account %s (%s) created\n", u.Login, u.Role)
	case "passwd":
		u, err := store.GetUserByLogin(ctx, strings.ToLower(strings.TrimSpace(login)))
		if err != nil {
			fmt.Fprintln(stderr, "shenbao user passwd: no such login:", login)
			return 1
		}
		if _, err := svc.UpdateUser(ctx, intake.System, u.ID, intake.UserChange{Password: &password}); err != nil {
			fmt.Fprintln(stderr, "shenbao user passwd:", message(err))
			return 1
		}
		fmt.Fprintf(stdout, "password of %s set; its sessions ended\n", u.Login)
	}
	if generated {
		fmt.Fprintf(stdout, "password: %s\n(shown once; it is stored only as an argon2id hash)\n", password)
	}
	return 0
}

// message is an error's message for people: the Chinese one of a domain error, else the error.
func message(err error) string {
	if e, ok := err.(*intake.Error); ok {
		return e.Message
	}
	return err.Error()
}

// newPassword makes a random 16-character password of letters and digits with at least one of each.
func newPassword() string {
	const letters, digits = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ", "23456789"
	for {
		b := make([]byte, 16)
		rand.Read(b)
		all := letters + digits
		var hasL, hasD bool
		for i := range b {
			b[i] = all[int(b[i])%len(all)]
			hasL = hasL || strings.IndexByte(letters, b[i]) >= 0
			hasD = hasD || strings.IndexByte(digits, b[i]) >= 0
		}
		if hasL && hasD {
			return string(b)
		}
	}
}
