package bolt

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bbolt "go.etcd.io/bbolt"

	"shenbao/intake"
)

// CreateUser stores a new user. It returns ErrInvalid without an id or login, and ErrConflict if the id
// or the login is used.
func (s *Store) CreateUser(ctx context.Context, u *intake.User) error {
	if err := checkID("user", u.ID); err != nil {
		return err
	}
	if u.Login == "" {
		return fmt.Errorf("bolt create user %s: no login: %w", u.ID, intake.ErrInvalid)
	}
	return s.update(ctx, "create user "+u.ID, func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketUsers).Get([]byte(u.ID)) != nil {
			return fmt.Errorf("user id is used: %w", intake.ErrConflict)
		}
		if tx.Bucket(bucketUsersLogin).Get([]byte(u.Login)) != nil {
			return fmt.Errorf("login %q is used: %w", u.Login, intake.ErrConflict)
		}
		if err := putUser(tx, u); err != nil {
			return err
		}
		return tx.Bucket(bucketUsersLogin).Put([]byte(u.Login), []byte(u.ID))
	})
}

// GetUser returns ErrNotFound if there is no user with that id.
func (s *Store) GetUser(ctx context.Context, id string) (*intake.User, error) {
	var u *intake.User
	err := s.view(ctx, "get user "+id, func(tx *bbolt.Tx) (err error) {
		u, err = getUser(tx, id)
		return err
	})
	return u, err
}

// GetUserByLogin returns ErrNotFound if no user has exactly that login.
func (s *Store) GetUserByLogin(ctx context.Context, login string) (*intake.User, error) {
	var u *intake.User
	err := s.view(ctx, "get user by login "+login, func(tx *bbolt.Tx) (err error) {
		id := tx.Bucket(bucketUsersLogin).Get([]byte(login))
		if id == nil {
			return intake.ErrNotFound
		}
		u, err = getUser(tx, string(id))
		return err
	})
	return u, err
}

// ListUsers returns users ordered by login (bytewise), and the total count.
func (s *Store) ListUsers(ctx context.Context, opt intake.ListOptions) ([]*intake.User, int, error) {
	limit, offset := page(opt)
	var (
		list  []*intake.User
		total int
	)
	err := s.view(ctx, "list users", func(tx *bbolt.Tx) error {
		total = tx.Bucket(bucketUsersLogin).Stats().KeyN
		c := tx.Bucket(bucketUsersLogin).Cursor()
		n := 0
		for k, id := c.First(); k != nil && len(list) < limit; k, id = c.Next() {
			if n++; n <= offset {
				continue
			}
			u, err := getUser(tx, string(id))
			if err != nil {
				return err
			}
			list = append(list, u)
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

// UpdateUser replaces a stored user. It returns ErrNotFound if it does not exist and ErrInvalid if it
// would change the login.
func (s *Store) UpdateUser(ctx context.Context, u *intake.User) error {
	return s.update(ctx, "update user "+u.ID, func(tx *bbolt.Tx) error {
		old, err := getUser(tx, u.ID)
		if err != nil {
			return err
		}
		if old.Login != u.Login {
			return fmt.Errorf("login %q may not change to %q: %w", old.Login, u.Login, intake.ErrInvalid)
		}
		return putUser(tx, u)
	})
}

func getUser(tx *bbolt.Tx, id string) (*intake.User, error) {
	v := tx.Bucket(bucketUsers).Get([]byte(id))
	if v == nil {
		return nil, intake.ErrNotFound
	}
	var r userRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, fmt.Errorf("decode user %s: %w", id, err)
	}
	return r.user(), nil
}

func putUser(tx *bbolt.Tx, u *intake.User) error {
	v, err := json.Marshal(userRecordOf(u))
	if err != nil {
		return err
	}
	return tx.Bucket(bucketUsers).Put([]byte(u.ID), v)
}

// CreateSession stores a new session. It returns ErrInvalid without an id or user id, and ErrConflict if
// the id is used.
func (s *Store) CreateSession(ctx context.Context, ss *intake.Session) error {
	if err := checkID("session", ss.ID); err != nil {
		return err
	}
	if err := checkID("user", ss.UserID); err != nil {
		return err
	}
	return s.update(ctx, "create session", func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketSessions).Get([]byte(ss.ID)) != nil {
			return fmt.Errorf("session id is used: %w", intake.ErrConflict)
		}
		if err := putSession(tx, ss); err != nil {
			return err
		}
		return tx.Bucket(bucketSessionsUsr).Put(key(ss.UserID, ss.ID), []byte(ss.Kind))
	})
}

// GetSession returns ErrNotFound if there is no session with that id.
func (s *Store) GetSession(ctx context.Context, id string) (*intake.Session, error) {
	var ss *intake.Session
	err := s.view(ctx, "get session", func(tx *bbolt.Tx) (err error) {
		ss, err = getSession(tx, id)
		return err
	})
	return ss, err
}

// TouchSession sets a session's LastSeen. It returns ErrNotFound if it does not exist.
func (s *Store) TouchSession(ctx context.Context, id string, at time.Time) error {
	return s.update(ctx, "touch session", func(tx *bbolt.Tx) error {
		ss, err := getSession(tx, id)
		if err != nil {
			return err
		}
		ss.LastSeen = at
		return putSession(tx, ss)
	})
}

// DeleteSession removes a session; removing one that does not exist is not an error.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	return s.update(ctx, "delete session", func(tx *bbolt.Tx) error {
		ss, err := getSession(tx, id)
		if errors.Is(err, intake.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return deleteSession(tx, ss.UserID, id)
	})
}

// DeleteUserSessions removes every session of a user of the given kind ("" for all) except keep, and
// returns how many it removed.
func (s *Store) DeleteUserSessions(ctx context.Context, userID string, kind intake.SessionKind, keep string) (int, error) {
	n := 0
	err := s.update(ctx, "delete sessions of "+userID, func(tx *bbolt.Tx) error {
		pre := prefix(userID)
		var ids []string
		c := tx.Bucket(bucketSessionsUsr).Cursor()
		for k, v := c.Seek(pre); k != nil && bytes.HasPrefix(k, pre); k, v = c.Next() {
			id := string(k[len(pre):])
			if id != keep && (kind == "" || string(v) == string(kind)) {
				ids = append(ids, id)
			}
		}
		for _, id := range ids {
			if err := deleteSession(tx, userID, id); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

func getSession(tx *bbolt.Tx, id string) (*intake.Session, error) {
	v := tx.Bucket(bucketSessions).Get([]byte(id))
	if v == nil {
		return nil, intake.ErrNotFound
	}
	var r sessionRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, fmt.Errorf("decode session: %w", err)
	}
	return r.session(), nil
}

func putSession(tx *bbolt.Tx, ss *intake.Session) error {
	v, err := json.Marshal(sessionRecordOf(ss))
	if err != nil {
		return err
	}
	return tx.Bucket(bucketSessions).Put([]byte(ss.ID), v)
}

func deleteSession(tx *bbolt.Tx, userID, id string) error {
	if err := tx.Bucket(bucketSessions).Delete([]byte(id)); err != nil {
		return err
	}
	return tx.Bucket(bucketSessionsUsr).Delete(key(userID, id))
}

type userRecord struct {
	ID           string    `json:"id"`
	Login        string    `json:"login"`
	Name         string    `json:"name"`
	Role         string    `json:"role"`
	Region       string    `json:"region,omitempty"`
	PasswordHash string    `json:"password_hash"`
	Disabled     bool      `json:"disabled,omitempty"`
	FailedLogins int       `json:"failed_logins,omitempty"`
	LockedUntil  time.Time `json:"locked_until,omitzero"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

func userRecordOf(u *intake.User) userRecord {
	return userRecord{
		ID: u.ID, Login: u.Login, Name: u.Name, Role: string(u.Role), Region: u.Region, PasswordHash: u.PasswordHash,
		Disabled: u.Disabled, FailedLogins: u.FailedLogins, LockedUntil: u.LockedUntil,
		CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt,
	}
}

func (r userRecord) user() *intake.User {
	return &intake.User{
		ID: r.ID, Login: r.Login, Name: r.Name, Role: intake.Role(r.Role), Region: r.Region, PasswordHash: r.PasswordHash,
		Disabled: r.Disabled, FailedLogins: r.FailedLogins, LockedUntil: utc(r.LockedUntil),
		CreatedAt: utc(r.CreatedAt), UpdatedAt: utc(r.UpdatedAt),
	}
}

type sessionRecord struct {
	ID        string    `json:"id"`
	UserID    string    `json:"user_id"`
	Kind      string    `json:"kind"`
	Label     string    `json:"label,omitempty"`
	CSRF      string    `json:"csrf,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	LastSeen  time.Time `json:"last_seen"`
	ExpiresAt time.Time `json:"expires_at"`
}

func sessionRecordOf(s *intake.Session) sessionRecord {
	return sessionRecord{
		ID: s.ID, UserID: s.UserID, Kind: string(s.Kind), Label: s.Label, CSRF: s.CSRF,
		CreatedAt: s.CreatedAt, LastSeen: s.LastSeen, ExpiresAt: s.ExpiresAt,
	}
}

func (r sessionRecord) session() *intake.Session {
	return &intake.Session{
		ID: r.ID, UserID: r.UserID, Kind: intake.SessionKind(r.Kind), Label: r.Label, CSRF: r.CSRF,
		CreatedAt: utc(r.CreatedAt), LastSeen: utc(r.LastSeen), ExpiresAt: utc(r.ExpiresAt),
	}
}
