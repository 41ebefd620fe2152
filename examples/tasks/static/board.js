// The task board: loads /api/tasks, renders three columns, and applies the
// task.created / task.updated / task.deleted events /ws/board sends.
"use strict";

const app = document.getElementById("app");
const me = { id: Number(app.dataset.userId), role: app.dataset.role };
const isManager = me.role === "manager" || me.role === "admin";
const STATUSES = ["todo", "doing", "done"];
const tasks = new Map();

async function api(method, url, body) {
  const options = { method, headers: { Accept: "application/json" } };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(url, options);
  const data = response.status === 204 ? null : await response.json();
  if (!response.ok) {
    const fields = data && data.fields ? Object.entries(data.fields).map(([k, v]) => `${k}: ${v}`) : [];
    throw new Error(fields.length ? fields.join("; ") : (data && data.message) || response.statusText);
  }
  return data;
}

function button(label, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.addEventListener("click", () => onClick().catch((e) => alert(e.message)));
  return b;
}

function renderTask(task, flash) {
  const li = document.createElement("li");
  li.className = `task ${task.priority}` + (flash ? " flash" : "");
  const title = document.createElement("div");
  title.textContent = task.title;
  const meta = document.createElement("div");
  meta.className = "meta";
  meta.textContent = [task.assignee || "unassigned", task.due_date ? `due ${task.due_date}` : "", task.priority]
    .filter(Boolean).join(" · ");
  const actions = document.createElement("div");
  actions.className = "actions";
  const index = STATUSES.indexOf(task.status);
  const mayMove = isManager || task.assignee_id === me.id;
  if (mayMove && index > 0) {
    actions.append(button("←", () => api("PATCH", `/api/tasks/${task.id}`, { status: STATUSES[index - 1] })));
  }
  if (mayMove && index < STATUSES.length - 1) {
    actions.append(button("→", () => api("PATCH", `/api/tasks/${task.id}`, { status: STATUSES[index + 1] })));
  }
  if (isManager) {
    actions.append(button("✕", async () => {
      if (confirm(`Delete "${task.title}"?`)) await api("DELETE", `/api/tasks/${task.id}`);
    }));
  }
  li.append(title, meta, actions);
  return li;
}

let flashId = null;
function render() {
  for (const status of STATUSES) {
    const column = document.getElementById(`column-${status}`);
    column.replaceChildren(...[...tasks.values()]
      .filter((t) => t.status === status)
      .map((t) => renderTask(t, t.id === flashId)));
  }
  flashId = null;
}

function applyEvent(event) {
  if (event.type === "task.deleted") {
    tasks.delete(event.task.id);
  } else if (event.type === "task.created" || event.type === "task.updated") {
    tasks.set(event.task.id, event.task);
    flashId = event.task.id;
  } else {
    return;
  }
  render();
}

async function reload() {
  const data = await api("GET", "/api/tasks");
  tasks.clear();
  for (const task of data.tasks) tasks.set(task.id, task);
  render();
}

function connect() {
  const live = document.getElementById("live");
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws/board`);
  socket.addEventListener("open", () => {
    live.textContent = "live";
    live.classList.remove("off");
    reload();  // catch up with what changed while disconnected
  });
  socket.addEventListener("message", (message) => applyEvent(JSON.parse(message.data)));
  socket.addEventListener("close", () => {
    live.textContent = "offline";
    live.classList.add("off");
    setTimeout(connect, 3000);
  });
}

async function setUpForm() {
  const form = document.getElementById("new-task");
  if (!form) return;
  const select = form.elements.assignee_id;
  for (const user of (await api("GET", "/api/users")).users) {
    const option = document.createElement("option");
    option.value = user.id;
    option.textContent = `${user.username} (${user.role})`;
    select.append(option);
  }
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const error = document.getElementById("form-error");
    error.textContent = "";
    try {
      await api("POST", "/api/tasks", {
        title: form.elements.title.value,
        assignee_id: select.value ? Number(select.value) : null,
        due_date: form.elements.due_date.value || null,
        priority: form.elements.priority.value,
      });
      form.reset();
    } catch (err) {
      error.textContent = err.message;
    }
  });
}

setUpForm();
connect();
