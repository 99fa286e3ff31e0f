package api

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"shenbao/intake"
)

// Authentication is the edge's only part in access: it turns a session cookie or a bearer token into an
// intake.Principal and hands it to the domain, which decides what the principal may see and do.
//
// Browsers sign in with POST /api/v1/session and get an HttpOnly, SameSite=Lax cookie (Secure under TLS
// or behind a proxy that says X-Forwarded-Proto: https). Every state-changing request made with the
// cookie must carry the session's CSRF token in X-CSRF-Token, and, if it has an Origin header, come from
// this host. Programs send Authorization: Bearer <token> (POST /api/v1/tokens) and need neither.

const (
	sessionCookie = "shenbao_session"
	principalKey  = "shenbao.principal"
	tokenKey      = "shenbao.token"
	sessionKey    = "shenbao.session"
	csrfHeader    = "X-CSRF-Token"
)

// authenticate requires a principal for every request it guards.
func (s *Server) authenticate(c *gin.Context) {
	token, fromCookie := bearer(c.Request), false
	if token == "" {
		if ck, err := c.Request.Cookie(sessionCookie); err == nil {
			token, fromCookie = ck.Value, true
		}
	}
	p, sess, err := s.svc.Authenticate(c.Request.Context(), token)
	if err != nil {
		if fromCookie {
			s.clearCookie(c)
		}
		s.writeErr(c, err)
		c.Abort()
		return
	}
	if fromCookie && !safeMethod(c.Request.Method) {
		if sess.Kind != intake.SessionBrowser || c.GetHeader(csrfHeader) != sess.CSRF || !sameOrigin(c.Request) {
			writeError(c, http.StatusForbidden, "csrf", "请求来源校验失败，请刷新页面后重试。")
			return
		}
	}
	c.Set(principalKey, p)
	c.Set(tokenKey, token)
	c.Set(sessionKey, sess)
	c.Next()
}

// principal is the authenticated principal of a guarded request.
func principal(c *gin.Context) intake.Principal {
	p, _ := c.Get(principalKey)
	pp, _ := p.(intake.Principal)
	return pp
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// sameOrigin reports whether a request's Origin (if any) is this host.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

func secureRequest(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// setCookie sets the session cookie to live as long as the session (Max-Age, so that a client whose
// clock is off still keeps it).
func (s *Server) setCookie(c *gin.Context, token string, life time.Duration) {
	http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", MaxAge: int(life.Seconds()),
		HttpOnly: true, Secure: secureRequest(c.Request), SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearCookie(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: secureRequest(c.Request), SameSite: http.SameSiteLaxMode})
}

// addrLimiter counts failed logins per client address: after max in window, logins from it are refused
// until the window has passed.
type addrLimiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string][]time.Time
}

func newAddrLimiter(max int, window time.Duration) *addrLimiter {
	return &addrLimiter{max: max, window: window, fails: map[string][]time.Time{}}
}

func (l *addrLimiter) recent(addr string, now time.Time) []time.Time {
	ts := l.fails[addr]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) > l.window {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, addr)
	} else {
		l.fails[addr] = ts
	}
	return ts
}

func (l *addrLimiter) blocked(addr string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.recent(addr, now)) >= l.max
}

func (l *addrLimiter) fail(addr string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fails[addr] = append(l.recent(addr, now), now)
	if len(l.fails) > 100000 { // bound memory under a spray of addresses
		clear(l.fails)
	}
}

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

type userJSON struct {
	ID        string    `json:"id"`
	Login     string    `json:"login"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	RoleLabel string    `json:"role_label"`
	Region    string    `json:"region,omitempty"`
	Disabled  bool      `json:"disabled,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

func toUser(u *intake.User) userJSON {
	return userJSON{ID: u.ID, Login: u.Login, Name: u.Name, Role: string(u.Role), RoleLabel: u.Role.Label(), Region: u.Region, Disabled: u.Disabled, CreatedAt: u.CreatedAt}
}

type principalJSON struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Role      string `json:"role"`
	RoleLabel string `json:"role_label"`
	Region    string `json:"region,omitempty"`
}

func toPrincipal(p intake.Principal) principalJSON {
	return principalJSON{ID: p.UserID, Name: p.Name, Role: string(p.Role), RoleLabel: p.Role.Label(), Region: p.Region}
}

func (s *Server) login(c *gin.Context) error {
	if !sameOrigin(c.Request) {
		writeError(c, http.StatusForbidden, "csrf", "请求来源校验失败，请刷新页面后重试。")
		return nil
	}
	addr, now := clientAddr(c.Request), time.Now()
	if s.limiter.blocked(addr, now) {
		writeError(c, http.StatusTooManyRequests, "too_many_attempts", "该网络地址登录失败次数过多，请 15 分钟后再试。")
		return nil
	}
	var in struct {
		Login    string `json:"login"`
		Password string `json:"password"`
	}
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	token, sess, p, err := s.svc.Login(c.Request.Context(), in.Login, in.Password)
	if err != nil {
		s.limiter.fail(addr, now)
		return err
	}
	s.setCookie(c, token, sess.ExpiresAt.Sub(sess.CreatedAt))
	c.JSON(http.StatusOK, gin.H{"user": toPrincipal(p), "csrf_token": sess.CSRF})
	return nil
}

func (s *Server) getSession(c *gin.Context) error {
	v, _ := c.Get(sessionKey) // authenticate set it
	sess := v.(*intake.Session)
	c.JSON(http.StatusOK, gin.H{"user": toPrincipal(principal(c)), "csrf_token": sess.CSRF, "expires_at": sess.ExpiresAt})
	return nil
}

func (s *Server) logout(c *gin.Context) error {
	token, _ := c.Get(tokenKey)
	if err := s.svc.Logout(c.Request.Context(), principal(c), token.(string)); err != nil {
		return err
	}
	s.clearCookie(c)
	c.Status(http.StatusNoContent)
	return nil
}

func (s *Server) changePassword(c *gin.Context) error {
	var in struct {
		Old string `json:"old_password"`
		New string `json:"new_password"`
	}
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	token, _ := c.Get(tokenKey)
	if err := s.svc.ChangePassword(c.Request.Context(), principal(c), token.(string), in.Old, in.New); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

func (s *Server) createToken(c *gin.Context) error {
	var in struct {
		Label string `json:"label"`
		Days  int    `json:"days"`
	}
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	token, sess, err := s.svc.CreateToken(c.Request.Context(), principal(c), in.Label, time.Duration(in.Days)*24*time.Hour)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, gin.H{"token": token, "label": sess.Label, "expires_at": sess.ExpiresAt})
	return nil
}

func (s *Server) listUsers(c *gin.Context) error {
	opt := listOptions(c)
	users, total, err := s.svc.Users(c.Request.Context(), principal(c), opt)
	if err != nil {
		return err
	}
	items := make([]userJSON, 0, len(users))
	for _, u := range users {
		items = append(items, toUser(u))
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "total": total, "limit": opt.Limit, "offset": opt.Offset})
	return nil
}

func (s *Server) createUser(c *gin.Context) error {
	var in struct {
		Login    string `json:"login"`
		Name     string `json:"name"`
		Role     string `json:"role"`
		Region   string `json:"region"`
		Password string `json:"password"`
	}
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	u, err := s.svc.AddUser(c.Request.Context(), principal(c), intake.NewUser{Login: in.Login, Name: in.Name, Role: intake.Role(in.Role), Region: in.Region, Password: in.Password})
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, toUser(u))
	return nil
}

func (s *Server) updateUser(c *gin.Context) error {
	var in struct {
		Name     *string `json:"name"`
		Region   *string `json:"region"`
		Disabled *bool   `json:"disabled"`
		Password *string `json:"password"`
	}
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	u, err := s.svc.UpdateUser(c.Request.Context(), principal(c), c.Param("id"), intake.UserChange{Name: in.Name, Region: in.Region, Disabled: in.Disabled, Password: in.Password})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toUser(u))
	return nil
}
