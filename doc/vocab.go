package doc

// Functions are the five service functions of 第十三条, as the API names them and as documents print
// them. Extraction reads them, the checklist judges them, the API validates them and the web UI
// shows them, all from this list.
var Functions = []struct {
	Name string
	Zh   string
}{
	{"information", "信息服务"},
	{"technology", "技术服务"},
	{"startup", "创业服务"},
	{"training", "培训服务"},
	{"financing", "融资服务"},
}

// FunctionNames are the Functions' names, in order.
func FunctionNames() []string {
	out := make([]string, len(Functions))
	for i, f := range Functions {
		out[i] = f.Name
	}
	return out
}

// FunctionZh returns the Chinese name of a function.
func FunctionZh(name string) string {
	for _, f := range Functions {
		if f.Name == name {
			return f.Zh
		}
	}
	return name
}
