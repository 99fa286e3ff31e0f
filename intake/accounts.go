package intake

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// AuthConfig sets how long sessions live and how failed logins are limited.
type AuthConfig struct {
	Idle        time.Duration // a browser session ends after this long unused; default 2 h
	Absolute    time.Duration // and in any case this long after login; default 12 h
	TokenTTL    time.Duration // an API token's life when none is asked for; default 90 days
	MaxFailures int           // failed logins in a row before the account is locked; default 5
	LockFor     time.Duration // how long; default 15 min
}

func (c *AuthConfig) defaults() {
	if c.Idle <= 0 {
		c.Idle = 2 * time.Hour
	}
	if c.Absolute <= 0 {
		c.Absolute = 12 * time.Hour
	}
	if c.TokenTTL <= 0 {
		c.TokenTTL = 90 * 24 * time.Hour
	}
	if c.MaxFailures <= 0 {
		c.MaxFailures = 5
	}
	if c.LockFor <= 0 {
		c.LockFor = 15 * time.Minute
	}
}

// argon2id parameters: OWASP's second recommended set (19 MiB, 2 passes, 1 lane).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns the argon2id hash of a password in the PHC string format.
func HashPassword(password string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// checkPassword reports whether password matches a PHC argon2id hash, in time that does not depend on
// where they differ.
func checkPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when a login names no account, so that a wrong login takes as long as a
// wrong password and does not reveal which logins exist.
var dummyHash = sync.OnceValue(func() string { return HashPassword("not a password of anyone") })

// checkNewPassword says in Chinese why a password is too weak, or nil.
func checkNewPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	var letter, digit bool
	for _, r := range pw {
		letter = letter || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		digit = digit || (r >= '0' && r <= '9')
	}
	if n < 10 || n > 128 || !letter || !digit {
		return &Error{Code: "weak_password", Message: "密码须为 10–128 个字符，且同时包含字母和数字。", Err: ErrInvalid}
	}
	return nil
}

var loginRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._@-]{2,63}$`)

// NewUser is what staff (or `shenbao user add`) state to make an account.
type NewUser struct {
	Login    string
	Name     string
	Role     Role
	Region   string
	Password string
}

// AddUser makes an account. Only staff may; the command line acts as System.
func (s *Service) AddUser(ctx context.Context, p Principal, in NewUser) (*User, error) {
	if p.Role != RoleStaff {
		return nil, forbidden("只有经信厅工作人员可以管理账户。")
	}
	in.Login = strings.ToLower(strings.TrimSpace(in.Login))
	in.Name = strings.TrimSpace(in.Name)
	in.Region = strings.TrimSpace(in.Region)
	switch {
	case !loginRE.MatchString(in.Login):
		return nil, &Error{Code: "invalid_login", Message: "登录名为 3–64 个小写字母、数字或 . _ @ -。", Err: ErrInvalid}
	case in.Name == "" || utf8.RuneCountInString(in.Name) > 100:
		return nil, &Error{Code: "invalid_name", Message: "请填写姓名或单位名称（不超过 100 字）。", Err: ErrInvalid}
	case !slices.Contains(Roles, in.Role):
		return nil, &Error{Code: "invalid_role", Message: "角色只能是：申报单位、推荐单位、评审专家、经信厅工作人员、审计人员。", Err: ErrInvalid}
	case in.Role == RoleRecommender && in.Region == "":
		return nil, &Error{Code: "region_required", Message: "推荐单位须填写所辖地市或园区。", Err: ErrInvalid}
	case utf8.RuneCountInString(in.Region) > 50:
		return nil, &Error{Code: "invalid_region", Message: "地市或园区名称过长。", Err: ErrInvalid}
	}
	if err := checkNewPassword(in.Password); err != nil {
		return nil, err
	}
	now := s.now()
	u := &User{ID: newID("usr"), Login: in.Login, Name: in.Name, Role: in.Role, Region: in.Region,
		PasswordHash: HashPassword(in.Password), CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateUser(ctx, u); err != nil {
		if errors.Is(err, ErrConflict) {
			return nil, &Error{Code: "login_taken", Message: "该登录名已被使用。", Err: ErrConflict}
		}
		return nil, fmt.Errorf("create user: %w", err)
	}
	s.record(ctx, p, Event{Action: "user.create", Object: u.ID, Comment: string(u.Role) + " " + u.Login})
	return u, nil
}

// Users lists the accounts (staff and auditors only).
func (s *Service) Users(ctx context.Context, p Principal, opt ListOptions) ([]*User, int, error) {
	if p.Role != RoleStaff && p.Role != RoleAuditor {
		return nil, 0, forbidden("只有经信厅工作人员和审计人员可以查看账户。")
	}
	return s.store.ListUsers(ctx, clampList(opt))
}

// UserChange is what staff may change of an account; nil fields stay as they are.
type UserChange struct {
	Name     *string
	Region   *string
	Disabled *bool
	Password *string // a new password (the user's sessions end)
}

// UpdateUser changes an account (staff only). Disabling it or setting its password ends its sessions.
func (s *Service) UpdateUser(ctx context.Context, p Principal, id string, ch UserChange) (*User, error) {
	if p.Role != RoleStaff {
		return nil, forbidden("只有经信厅工作人员可以管理账户。")
	}
	u, err := s.store.GetUser(ctx, id)
	if err != nil {
		return nil, err
	}
	var what []string
	if ch.Name != nil {
		n := strings.TrimSpace(*ch.Name)
		if n == "" || utf8.RuneCountInString(n) > 100 {
			return nil, &Error{Code: "invalid_name", Message: "请填写姓名或单位名称（不超过 100 字）。", Err: ErrInvalid}
		}
		u.Name, what = n, append(what, "name")
	}
	if ch.Region != nil {
		u.Region, what = strings.TrimSpace(*ch.Region), append(what, "region")
	}
	endSessions := false
	if ch.Disabled != nil {
		if *ch.Disabled && u.ID == p.UserID {
			return nil, &Error{Code: "self_disable", Message: "不能停用自己的账户。", Err: ErrInvalid}
		}
		u.Disabled, what = *ch.Disabled, append(what, fmt.Sprintf("disabled=%v", *ch.Disabled))
		endSessions = u.Disabled
	}
	if ch.Password != nil {
		if err := checkNewPassword(*ch.Password); err != nil {
			return nil, err
		}
		u.PasswordHash, u.FailedLogins, u.LockedUntil = HashPassword(*ch.Password), 0, time.Time{}
		what, endSessions = append(what, "password"), true
	}
	u.UpdatedAt = s.now()
	if err := s.store.UpdateUser(ctx, u); err != nil {
		return nil, fmt.Errorf("update user: %w", err)
	}
	if endSessions {
		if _, err := s.store.DeleteUserSessions(ctx, u.ID, "", ""); err != nil {
			return nil, fmt.Errorf("end sessions of %s: %w", u.ID, err)
		}
	}
	s.record(ctx, p, Event{Action: "user.update", Object: u.ID, Comment: strings.Join(what, ",")})
	return u, nil
}

// Login checks a login and password and starts a browser session. It returns the session's token (to
// be set as a cookie; only its hash is stored) and the session. A wrong login or password answers the
// same; after MaxFailures in a row the account is locked for LockFor.
func (s *Service) Login(ctx context.Context, login, password string) (string, *Session, Principal, error) {
	login = strings.ToLower(strings.TrimSpace(login))
	bad := &Error{Code: "bad_credentials", Message: "登录名或密码不正确。", Err: ErrUnauthenticated}
	u, err := s.store.GetUserByLogin(ctx, login)
	if errors.Is(err, ErrNotFound) {
		checkPassword(dummyHash(), password)
		return "", nil, Principal{}, bad
	}
	if err != nil {
		return "", nil, Principal{}, err
	}
	now := s.now()
	if now.Before(u.LockedUntil) {
		mins := int(u.LockedUntil.Sub(now).Minutes()) + 1
		return "", nil, Principal{}, &Error{Code: "locked", Message: fmt.Sprintf("登录失败次数过多，账户已暂时锁定，请 %d 分钟后再试。", mins), Err: ErrTooMany}
	}
	if !checkPassword(u.PasswordHash, password) {
		u.FailedLogins++
		if u.FailedLogins >= s.auth.MaxFailures {
			u.LockedUntil, u.FailedLogins = now.Add(s.auth.LockFor), 0
			s.log.WarnContext(ctx, "account locked", "user", u.ID)
		}
		u.UpdatedAt = now
		if err := s.store.UpdateUser(ctx, u); err != nil {
			return "", nil, Principal{}, err
		}
		s.record(ctx, u.Principal(), Event{Action: "user.login_failed", Object: u.ID})
		return "", nil, Principal{}, bad
	}
	if u.Disabled {
		return "", nil, Principal{}, &Error{Code: "disabled", Message: "该账户已停用，请联系经信厅。", Err: ErrUnauthenticated}
	}
	if u.FailedLogins != 0 {
		u.FailedLogins, u.UpdatedAt = 0, now
		if err := s.store.UpdateUser(ctx, u); err != nil {
			return "", nil, Principal{}, err
		}
	}
	token, sess, err := s.newSession(ctx, u, SessionBrowser, "", now.Add(s.auth.Absolute))
	if err != nil {
		return "", nil, Principal{}, err
	}
	s.record(ctx, u.Principal(), Event{Action: "user.login", Object: u.ID})
	return token, sess, u.Principal(), nil
}

func (s *Service) newSession(ctx context.Context, u *User, kind SessionKind, label string, expires time.Time) (string, *Session, error) {
	token := randomToken()
	now := s.now()
	sess := &Session{ID: tokenHash(token), UserID: u.ID, Kind: kind, Label: label, CreatedAt: now, LastSeen: now, ExpiresAt: expires}
	if kind == SessionBrowser {
		sess.CSRF = randomToken()
	}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return "", nil, fmt.Errorf("create session: %w", err)
	}
	return token, sess, nil
}

// Authenticate turns a session cookie's or bearer token's value into the principal. It returns
// ErrUnauthenticated if the token is unknown, expired or its account disabled.
func (s *Service) Authenticate(ctx context.Context, token string) (Principal, *Session, error) {
	none := &Error{Code: "unauthenticated", Message: "请先登录。", Err: ErrUnauthenticated}
	if token == "" || len(token) > 128 {
		return Principal{}, nil, none
	}
	sess, err := s.store.GetSession(ctx, tokenHash(token))
	if errors.Is(err, ErrNotFound) {
		return Principal{}, nil, none
	}
	if err != nil {
		return Principal{}, nil, err
	}
	now := s.now()
	if !now.Before(sess.ExpiresAt) || (sess.Kind == SessionBrowser && now.Sub(sess.LastSeen) > s.auth.Idle) {
		s.store.DeleteSession(ctx, sess.ID)
		return Principal{}, nil, &Error{Code: "session_expired", Message: "登录已过期，请重新登录。", Err: ErrUnauthenticated}
	}
	u, err := s.store.GetUser(ctx, sess.UserID)
	if errors.Is(err, ErrNotFound) || (err == nil && u.Disabled) {
		return Principal{}, nil, none
	}
	if err != nil {
		return Principal{}, nil, err
	}
	if now.Sub(sess.LastSeen) > time.Minute {
		if err := s.store.TouchSession(ctx, sess.ID, now); err == nil {
			sess.LastSeen = now
		}
	}
	return u.Principal(), sess, nil
}

// Logout ends the session of a token.
func (s *Service) Logout(ctx context.Context, p Principal, token string) error {
	if err := s.store.DeleteSession(ctx, tokenHash(token)); err != nil {
		return err
	}
	s.record(ctx, p, Event{Action: "user.logout", Object: p.UserID})
	return nil
}

// ChangePassword sets the principal's own password after checking the old one; every other session of
// the account ends. keepToken is the token of the session making the change.
func (s *Service) ChangePassword(ctx context.Context, p Principal, keepToken, old, new string) error {
	u, err := s.store.GetUser(ctx, p.UserID)
	if err != nil {
		return err
	}
	if !checkPassword(u.PasswordHash, old) {
		return &Error{Code: "bad_password", Message: "原密码不正确。", Err: ErrInvalid}
	}
	if err := checkNewPassword(new); err != nil {
		return err
	}
	if old == new {
		return &Error{Code: "same_password", Message: "新密码不能与原密码相同。", Err: ErrInvalid}
	}
	u.PasswordHash, u.UpdatedAt = HashPassword(new), s.now()
	if err := s.store.UpdateUser(ctx, u); err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	if _, err := s.store.DeleteUserSessions(ctx, u.ID, "", tokenHash(keepToken)); err != nil {
		return fmt.Errorf("end other sessions: %w", err)
	}
	s.record(ctx, p, Event{Action: "user.password", Object: u.ID})
	return nil
}

// CreateToken issues a bearer token for a program acting as the principal, valid for ttl (0: the
// configured default, at most a year). The token is shown once; only its hash is kept.
func (s *Service) CreateToken(ctx context.Context, p Principal, label string, ttl time.Duration) (string, *Session, error) {
	label = strings.TrimSpace(label)
	if label == "" || utf8.RuneCountInString(label) > 100 {
		return "", nil, &Error{Code: "invalid_label", Message: "请填写令牌用途（不超过 100 字）。", Err: ErrInvalid}
	}
	if ttl <= 0 {
		ttl = s.auth.TokenTTL
	}
	ttl = min(ttl, 366*24*time.Hour)
	u, err := s.store.GetUser(ctx, p.UserID)
	if err != nil {
		return "", nil, err
	}
	token, sess, err := s.newSession(ctx, u, SessionAPI, label, s.now().Add(ttl))
	if err != nil {
		return "", nil, err
	}
	s.record(ctx, p, Event{Action: "user.token", Object: u.ID, Comment: label})
	return token, sess, nil
}

func randomToken() string {
	var b [32]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

func clampList(opt ListOptions) ListOptions {
	if opt.Limit <= 0 || opt.Limit > 200 {
		opt.Limit = 50
	}
	opt.Offset = max(opt.Offset, 0)
	return opt
}
